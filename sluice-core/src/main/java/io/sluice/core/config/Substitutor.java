package io.sluice.core.config;

import static java.util.Objects.requireNonNull;

import io.sluice.api.config.ConfigProblem;
import io.sluice.core.config.filter.ConfigFilter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Replaces {@code ${env:NAME}} with an environment variable, {@code ${sys:NAME}} with a system
 * property (the agent's {@code -Dk=v} overrides first, then the JVM's), and {@code ${NAME}} with
 * another key of the same file, else a system property, else an environment variable. {@code $${}
 * stands for a literal {@code ${}. References nest ({@code ${env:${sys:which}}}) and may chain
 * through other keys; a loop or a name that resolves nowhere is a {@link ConfigProblem}, never an
 * empty string. Immutable and thread-safe.
 */
public final class Substitutor {
    private static final int MAX_DEPTH = 16;

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
     * {@code problems} and left in the result as written.
     */
    public String resolve(String key, String value, List<ConfigProblem> problems) {
        Deque<String> chain = new ArrayDeque<>();
        chain.push(key);
        return resolve(key, value, problems, chain);
    }

    private String resolve(String key, String value, List<ConfigProblem> problems, Deque<String> chain) {
        if (value.indexOf('$') < 0) {
            return value;
        }
        StringBuilder out = new StringBuilder(value.length());
        int i = 0;
        while (i < value.length()) {
            char c = value.charAt(i);
            if (c == '$' && value.startsWith("$${", i)) {
                out.append("${");
                i += 3;
                continue;
            }
            if (c == '$' && value.startsWith("${", i)) {
                int end = matchingBrace(value, i + 2);
                if (end < 0) {
                    problems.add(new ConfigProblem(key, value, "has a '${' without a closing '}'",
                            "close the reference with '}', or write '$${' for a literal '${'"));
                    out.append(value, i, value.length());
                    break;
                }
                String inner = resolve(key, value.substring(i + 2, end), problems, chain);
                String replacement = lookup(key, value, inner, problems, chain);
                out.append(replacement == null ? value.substring(i, end + 1) : replacement);
                i = end + 1;
                continue;
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    private String lookup(String key, String value, String reference, List<ConfigProblem> problems,
            Deque<String> chain) {
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
            if (chain.contains(reference) || chain.size() > MAX_DEPTH) {
                problems.add(new ConfigProblem(key, value, "refers to itself through '" + reference
                        + "' (" + String.join(" -> ", chain) + ")", "break the loop of ${...} references"));
                return null;
            }
            chain.push(reference);
            try {
                return resolve(key, fromFile, problems, chain);
            } finally {
                chain.pop();
            }
        }
        String v = systemProperties.get(reference);
        if (v == null) {
            v = environment.get(reference);
        }
        if (v == null) {
            problems.add(new ConfigProblem(key, value, "refers to '" + reference
                    + "', which is not a key of this file, a system property or an environment variable",
                    "define " + reference + " (in the file, with -D" + reference + "=..., or in the environment),"
                            + " or use ${env:NAME} / ${sys:NAME} explicitly"));
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
