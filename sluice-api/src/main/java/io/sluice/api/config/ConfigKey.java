package io.sluice.api.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Predicate;

import static java.util.Objects.requireNonNull;

/**
 * One configuration key of a component: its name relative to the component (e.g.
 * {@code capacity} or {@code sink.rollInterval}), its type, default, rules and documentation.
 * Immutable; the {@code atLeast}/{@code between}/{@code rule} methods return new keys.
 *
 * @param <T> the parsed type
 */
public final class ConfigKey<T> {

    /** A rule on a parsed value, with the text shown when it is broken. */
    public static final class Rule<T> {
        final Predicate<T> test;
        final String description;
        final String fix;

        Rule(Predicate<T> test, String description, String fix) {
            this.test = test;
            this.description = description;
            this.fix = fix;
        }
    }

    private final String name;
    private final String typeName;
    private final T defaultValue;
    private final Function<String, T> parser;
    private final List<Rule<T>> rules;
    private final String doc;
    private final boolean required;
    private final String defaultText;

    private ConfigKey(String name, String typeName, T defaultValue, Function<String, T> parser,
            List<Rule<T>> rules, String doc, boolean required) {
        this(name, typeName, defaultValue, parser, rules, doc, required, null);
    }

    private ConfigKey(String name, String typeName, T defaultValue, Function<String, T> parser,
            List<Rule<T>> rules, String doc, boolean required, String defaultText) {
        this.name = requireNonNull(name, "name is null");
        this.typeName = requireNonNull(typeName, "typeName is null");
        this.defaultValue = defaultValue;
        this.parser = requireNonNull(parser, "parser is null");
        this.rules = List.copyOf(rules);
        this.doc = doc == null ? "" : doc;
        this.required = required;
        this.defaultText = defaultText;
    }

    public static ConfigKey<Integer> intKey(String name, Integer defaultValue, String doc) {
        return new ConfigKey<>(name, "an integer", defaultValue, s -> Integer.parseInt(s.trim()), List.of(), doc,
                false);
    }

    public static ConfigKey<Long> longKey(String name, Long defaultValue, String doc) {
        return new ConfigKey<>(name, "an integer", defaultValue, s -> Long.parseLong(s.trim()), List.of(), doc,
                false);
    }

    public static ConfigKey<Double> doubleKey(String name, Double defaultValue, String doc) {
        return new ConfigKey<>(name, "a number", defaultValue, s -> {
            double d = Double.parseDouble(s.trim());
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new NumberFormatException(s);
            }
            return d;
        }, List.of(), doc, false);
    }

    /** Accepts {@code true} or {@code false} in any case; anything else is a problem. */
    public static ConfigKey<Boolean> boolKey(String name, Boolean defaultValue, String doc) {
        return new ConfigKey<>(name, "true or false", defaultValue, s -> {
            String t = s.trim().toLowerCase(Locale.ROOT);
            if (t.equals("true")) {
                return Boolean.TRUE;
            }
            if (t.equals("false")) {
                return Boolean.FALSE;
            }
            throw new IllegalArgumentException(s);
        }, List.of(), doc, false);
    }

    public static ConfigKey<String> stringKey(String name, String defaultValue, String doc) {
        return new ConfigKey<>(name, "a string", defaultValue, s -> s, List.of(), doc, false);
    }

    /** A string that must be one of {@code allowed} (compared case-insensitively, returned lower-case). */
    public static ConfigKey<String> choiceKey(String name, String defaultValue, String doc, String... allowed) {
        List<String> values = Arrays.asList(allowed);
        return new ConfigKey<>(name, "one of " + values, defaultValue, s -> {
            String t = s.trim().toLowerCase(Locale.ROOT);
            for (String a : values) {
                if (a.equalsIgnoreCase(t)) {
                    return a;
                }
            }
            throw new IllegalArgumentException(s);
        }, List.of(), doc, false);
    }

    /** A whitespace-separated list, as Apache Flume's list keys are. */
    public static ConfigKey<List<String>> listKey(String name, List<String> defaultValue, String doc) {
        return new ConfigKey<>(name, "a space-separated list", defaultValue, s -> {
            String t = s.trim();
            return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
        }, List.of(), doc, false);
    }

    /** A key whose value is read by a custom parser; the parser throws on bad input. */
    public static <T> ConfigKey<T> customKey(String name, String typeName, T defaultValue,
            Function<String, T> parser, String doc) {
        return new ConfigKey<>(name, typeName, defaultValue, parser, List.of(), doc, false);
    }

    /** The same key, but a missing value is a problem instead of the default. */
    public ConfigKey<T> required() {
        return new ConfigKey<>(name, typeName, defaultValue, parser, rules, doc, true, defaultText);
    }

    /**
     * The same key, with its default shown as {@code text} wherever it is documented (for a default
     * computed on this machine, e.g. {@code "1/16 of the maximum heap"}, so that the reference does
     * not print one machine's number).
     */
    public ConfigKey<T> defaultShownAs(String text) {
        return new ConfigKey<>(name, typeName, defaultValue, parser, rules, doc, required,
                requireNonNull(text, "text is null"));
    }

    /** How the default is documented: the text given to {@link #defaultShownAs}, else the value; null when none. */
    public String defaultText() {
        if (defaultText != null) {
            return defaultText;
        }
        return defaultValue == null ? null : String.valueOf(defaultValue);
    }

    /** The same key with one more rule. */
    public ConfigKey<T> rule(Predicate<T> test, String description, String fix) {
        List<Rule<T>> r = new ArrayList<>(rules);
        r.add(new Rule<>(test, description, fix));
        return new ConfigKey<>(name, typeName, defaultValue, parser, r, doc, required, defaultText);
    }

    @SuppressWarnings("unchecked")
    public ConfigKey<T> atLeast(long min) {
        return rule(v -> ((Number) v).longValue() >= min, "must be at least " + min,
                "set " + name + " to " + min + " or more");
    }

    public ConfigKey<T> between(long min, long max) {
        return rule(v -> ((Number) v).longValue() >= min && ((Number) v).longValue() <= max,
                "must be between " + min + " and " + max, "set " + name + " to a value from " + min + " to " + max);
    }

    public String name() {
        return name;
    }

    public String typeName() {
        return typeName;
    }

    public T defaultValue() {
        return defaultValue;
    }

    public String doc() {
        return doc;
    }

    public boolean isRequired() {
        return required;
    }

    /**
     * Parses and checks {@code raw}. Returns the value, or throws {@link InvalidValueException}
     * naming the broken rule and the fix.
     */
    public T parse(String raw) {
        T value;
        try {
            value = parser.apply(raw);
        } catch (RuntimeException e) {
            throw new InvalidValueException("must be " + typeName, "set " + name + " to " + typeName
                    + (defaultValue != null ? ", or remove it to use the default " + defaultText() : ""));
        }
        for (Rule<T> r : rules) {
            if (!r.test.test(value)) {
                throw new InvalidValueException(r.description, r.fix);
            }
        }
        return value;
    }

    public List<Rule<T>> rules() {
        return Collections.unmodifiableList(rules);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ConfigKey && ((ConfigKey<?>) o).name.equals(name);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name);
    }

    @Override
    public String toString() {
        return name + (defaultValue == null ? "" : " (default " + defaultText() + ")");
    }

    /** A value broke a key's type or rule. */
    public static final class InvalidValueException extends IllegalArgumentException {
        private final String rule;
        private final String fix;

        public InvalidValueException(String rule, String fix) {
            super(rule);
            this.rule = rule;
            this.fix = fix;
        }

        public String rule() {
            return rule;
        }

        public String fix() {
            return fix;
        }
    }
}
