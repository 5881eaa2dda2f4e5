package io.sluice.core.config;

import io.sluice.api.config.ConfigProblem;
import io.sluice.core.config.filter.ConfigFilter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Replaces {@code ${env:NAME}} with an environment variable, {@code ${sys:NAME}} with a system
 * property (the agent's {@code -Dk=v} overrides first, then the JVM's), and {@code ${NAME}} with
 * another key of the same file, else a system property, else an environment variable. {@code $${}
 * stands for a literal {@code ${}. References nest ({@code ${env:${sys:which}}}) and may chain
 * through other keys. A plain {@code ${NAME}} that names nothing stays as written, as in Apache
 * Flume, with a warning naming the key; an unset {@code ${env:X}} or {@code ${sys:X}}, a loop, and
 * an unclosed reference are {@link ConfigProblem}s, never an empty string.
 *
 * <p>Expansion is bounded, so a hostile or mistaken file cannot exhaust memory (ten levels of ten
 * references each would otherwise expand to 10^10 copies): references nest at most
 * {@link #MAX_DEPTH} levels deep, and the expanded value of one key, counting every intermediate
 * expansion, is at most {@link #MAX_EXPANDED_CHARS} characters. Beyond either bound the key is a
 * problem that names it and its value stays as written. Immutable and thread-safe.
 */
public final class Substitutor {
    /** How deep {@code ${...}} references may nest, through keys or inside one another. */
    public static final int MAX_DEPTH = 16;
    /** The most characters that expanding one key may produce, intermediate expansions included. */
    public static final int MAX_EXPANDED_CHARS = 1 << 20;

    private final Map<String, String> fileProperties;
    private final Map<String, String> systemProperties;
    private final Map<String, String> environment;
    private final Map<String, ConfigFilter> filters;

    public Substitutor(Map<String, String> fileProperties, Map<String, String> systemProperties,
            Map<String, String> environment) {
        this(fileProperties, systemProperties, environment, Map.of());
    }

    /**
     * @param filters Apache Flume config filters of the agent ({@code <agent>.configfilters}) by
     *     name; {@code ${name['KEY']}} is resolved through them
     */
    public Substitutor(Map<String, String> fileProperties, Map<String, String> systemProperties,
            Map<String, String> environment, Map<String, ConfigFilter> filters) {
        this.fileProperties = requireNonNull(fileProperties, "fileProperties is null");
        this.systemProperties = requireNonNull(systemProperties, "systemProperties is null");
        this.environment = requireNonNull(environment, "environment is null");
        this.filters = requireNonNull(filters, "filters is null");
    }

    /**
     * The value of {@code key} with every reference replaced. Unresolvable references are added to
     * {@code problems} and left in the result as written; warnings are dropped.
     */
    public String resolve(String key, String value, List<ConfigProblem> problems) {
        return resolve(key, value, problems, new ArrayList<>());
    }

    /**
     * The value of {@code key} with every reference replaced. Unresolvable references are added to
     * {@code problems} (or, for a plain {@code ${NAME}} that names nothing, to {@code warnings})
     * and left in the result as written. A value whose expansion passes a bound is a problem and is
     * returned as written.
     */
    public String resolve(String key, String value, List<ConfigProblem> problems, List<String> warnings) {
        Expansion x = new Expansion(key, problems, warnings);
        x.chain.push(key);
        try {
            return resolve(x, value, 0);
        } catch (TooLarge e) {
            problems.add(new ConfigProblem(key, abbreviate(value), e.getMessage(),
                    "reduce the ${...} references of this key (they may not nest deeper than " + MAX_DEPTH
                            + " levels nor expand to more than " + MAX_EXPANDED_CHARS + " characters)"));
            return value;
        }
    }

    /** The state of expanding one key: where problems go, the chain of keys and the budget left. */
    private static final class Expansion {
        final String key;
        final List<ConfigProblem> problems;
        final List<String> warnings;
        final Deque<String> chain = new ArrayDeque<>();
        long produced;

        Expansion(String key, List<ConfigProblem> problems, List<String> warnings) {
            this.key = key;
            this.problems = problems;
            this.warnings = warnings;
        }

        void spend(int chars) {
            produced += chars;
            if (produced > MAX_EXPANDED_CHARS) {
                throw new TooLarge("expands to more than " + MAX_EXPANDED_CHARS
                        + " characters through its ${...} references");
            }
        }
    }

    /** Thrown (without a stack trace) when one key's expansion passes a bound. */
    private static final class TooLarge extends RuntimeException {
        TooLarge(String message) {
            super(message, null, false, false);
        }
    }

    private String resolve(Expansion x, String value, int depth) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        if (depth > MAX_DEPTH) {
            throw new TooLarge("has ${...} references nested more than " + MAX_DEPTH + " levels deep ("
                    + String.join(" -> ", reversed(x.chain)) + ")");
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '$' && value.startsWith("$${", i)) {
                out.append("${");
                x.spend(2);
                i += 3;
                continue;
            }
            if (c == '$' && value.startsWith("${", i)) {
                int end = matchingBrace(value, i + 2);
                if (end < 0) {
                    x.problems.add(new ConfigProblem(x.key, value, "has a '${' without a closing '}'",
                            "close the reference with '}', or write '$${' for a literal '${'"));
                    out.append(value, i, value.length());
                    x.spend(value.length() - i);
                    break;
                }
                String inner = resolve(x, value.substring(i + 2, end), depth + 1);
                String replacement = lookup(x, value, inner, depth);
                String piece = replacement == null ? value.substring(i, end + 1) : replacement;
                x.spend(piece.length());
                out.append(piece);
                i = end + 1;
                continue;
            }
            out.append(c);
            x.spend(1);
            i++;
        }
        return out.toString();
    }

    private static List<String> reversed(Deque<String> chain) {
        List<String> l = new ArrayList<>(chain);
        Collections.reverse(l);
        return l;
    }

    private static String abbreviate(String value) {
        return value.length() <= 200 ? value : value.substring(0, 200) + "...";
    }

    private String lookup(Expansion x, String value, String reference, int depth) {
        String key = x.key;
        List<ConfigProblem> problems = x.problems;
        Deque<String> chain = x.chain;
        if (reference.startsWith("env:")) {
            String name = reference.substring(4);
            String v = environment.get(name);
            if (v == null) {
                problems.add(new ConfigProblem(key, value, "refers to environment variable '" + name
                        + "', which is not set", "export " + name + " before starting the agent, or change the value"));
            }
            return v;
        }
        if (reference.startsWith("sys:")) {
            String name = reference.substring(4);
            String v = systemProperties.get(name);
            if (v == null) {
                problems.add(new ConfigProblem(key, value, "refers to system property '" + name
                        + "', which is not set", "pass -D" + name + "=<value> to the agent, or change the value"));
            }
            return v;
        }
        int bracket = reference.indexOf('[');
        if (bracket > 0 && reference.endsWith("]") && filters.containsKey(reference.substring(0, bracket))) {
            String filter = reference.substring(0, bracket);
            String name = reference.substring(bracket + 1, reference.length() - 1).trim();
            if (name.length() >= 2 && (name.startsWith("'") && name.endsWith("'")
                    || name.startsWith("\"") && name.endsWith("\""))) {
                name = name.substring(1, name.length() - 1);
            }
            try {
                return filters.get(filter).lookup(name);
            } catch (ConfigFilter.FilterException e) {
                problems.add(new ConfigProblem(key, value, e.getMessage(), e.fix()));
                return null;
            }
        }
        String fromFile = fileProperties.get(reference);
        if (fromFile != null) {
            if (chain.contains(reference)) {
                problems.add(new ConfigProblem(key, value, "refers to itself through '" + reference
                        + "' (" + String.join(" -> ", reversed(chain)) + " -> " + reference + ")",
                        "break the loop of ${...} references"));
                return null;
            }
            chain.push(reference);
            try {
                return resolve(x, fromFile, depth + 1);
            } finally {
                chain.pop();
            }
        }
        String v = systemProperties.get(reference);
        if (v == null) {
            v = environment.get(reference);
        }
        if (v == null) {
            // Apache Flume leaves such a reference as written; so do we, but say so.
            String w = key + ": ${" + reference + "} is not a key of this file, a system property or an"
                    + " environment variable, so it stays as written; define " + reference
                    + " (in the file, with -D" + reference + "=..., or in the environment), or write $${"
                    + reference + "} for a literal";
            if (!x.warnings.contains(w)) {
                x.warnings.add(w);
            }
        }
        return v;
    }

    private static int matchingBrace(String s, int from) {
        int depth = 1;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '{' && i > 0 && s.charAt(i - 1) == '$') {
                depth++;
            } else if (c == '}') {
                depth--;
                if (depth == 0) {
                    return i;
                }
            }
        }
        return -1;
    }
}
