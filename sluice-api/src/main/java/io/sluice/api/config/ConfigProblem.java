package io.sluice.api.config;

import java.util.Objects;

import static java.util.Objects.requireNonNull;

/**
 * One thing wrong with a configuration: the full key, the value found (or {@code null} when the
 * key is missing), the rule it breaks and what to do about it. Immutable.
 */
public final class ConfigProblem {
    private final String key;
    private final String value;
    private final String rule;
    private final String fix;

    public ConfigProblem(String key, String value, String rule, String fix) {
        this.key = requireNonNull(key, "key is null");
        this.value = value;
        this.rule = requireNonNull(rule, "rule is null");
        this.fix = requireNonNull(fix, "fix is null");
    }

    public String key() {
        return key;
    }

    public String value() {
        return value;
    }

    public String rule() {
        return rule;
    }

    public String fix() {
        return fix;
    }

    /** {@code a1.channels.c1.capacity = -5: must be at least 1 (fix: set capacity to 1 or more)}. */
    @Override
    public String toString() {
        return key + (value == null ? " (missing)" : " = " + value) + ": " + rule + " (fix: " + fix + ")";
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ConfigProblem)) {
            return false;
        }
        ConfigProblem p = (ConfigProblem) o;
        return key.equals(p.key) && Objects.equals(value, p.value) && rule.equals(p.rule)
                && fix.equals(p.fix);
    }

    @Override
    public int hashCode() {
        return Objects.hash(key, value, rule, fix);
    }
}
