package io.sluice.core.sink.http;

import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

import static java.util.Objects.requireNonNull;

/**
 * One yes/no decision per HTTP status (roll back? back off? count a success?): an override for
 * the exact code ({@code 503}) wins over one for its class ({@code 5XX}), which wins over the
 * default. Immutable.
 */
public final class StatusRules {
    private static final Pattern CODE = Pattern.compile("[1-5][0-9][0-9]");
    private static final Pattern GROUP = Pattern.compile("[1-5]XX");

    private final boolean defaultValue;
    private final Map<String, Boolean> overrides;

    /**
     * @param overrides status (e.g. {@code 404}) or class ({@code 4XX}, upper case) to the decision;
     *        see {@link #normalize}
     */
    public StatusRules(boolean defaultValue, Map<String, Boolean> overrides) {
        this.defaultValue = defaultValue;
        this.overrides = Map.copyOf(new TreeMap<>(requireNonNull(overrides, "overrides is null")));
    }

    /**
     * {@code key} as an override key ({@code 404}, {@code 4XX}; {@code 4xx} is taken as {@code 4XX}),
     * or {@code null} when it is neither a status from 100 to 599 nor a class 1XX to 5XX.
     */
    public static String normalize(String key) {
        String k = key.trim().toUpperCase(Locale.ROOT);
        return CODE.matcher(k).matches() || GROUP.matcher(k).matches() ? k : null;
    }

    public boolean decide(int status) {
        String code = Integer.toString(status);
        Boolean exact = overrides.get(code);
        if (exact != null) {
            return exact;
        }
        Boolean group = overrides.get(code.charAt(0) + "XX");
        return group != null ? group : defaultValue;
    }

    /** Which rule decided for {@code status}, for messages: {@code rollback.5XX}, or the default's key. */
    public String source(int status, String prefix, String defaultKey) {
        String code = Integer.toString(status);
        if (overrides.containsKey(code)) {
            return prefix + "." + code;
        }
        String group = code.charAt(0) + "XX";
        return overrides.containsKey(group) ? prefix + "." + group : defaultKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StatusRules r && r.defaultValue == defaultValue && r.overrides.equals(overrides);
    }

    @Override
    public int hashCode() {
        return Objects.hash(defaultValue, overrides);
    }

    @Override
    public String toString() {
        return "StatusRules{default=" + defaultValue + ", overrides=" + new TreeMap<>(overrides) + "}";
    }
}
