package io.sluice.sql;

import io.sluice.api.text.DidYouMean;
import io.sluice.sql.plan.EventTimes;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The session settings of an engine ({@code SET 'key' = 'value'}). Keys starting with
 * {@code rtsql.} are checked; others are kept for the engine's users (the shell). Thread-safe.
 *
 * <ul>
 * <li>{@code rtsql.slack.time} (default 200): milliseconds the watermark trails the largest event
 * time seen; events later than that are late.</li>
 * <li>{@code rtsql.window.buckets} (default 100): a {@code RANGE INTERVAL W PRECEDING} window
 * advances by W / buckets.</li>
 * </ul>
 */
final class Settings {
    static final String SLACK = "rtsql.slack.time";
    static final String BUCKETS = "rtsql.window.buckets";
    private static final Map<String, String> DEFAULTS = Map.of(SLACK, "200", BUCKETS, "100");

    private final Map<String, String> values = new ConcurrentHashMap<>(DEFAULTS);

    /** Sets a key; returns an error message, or null when accepted. */
    String set(String key, String value) {
        if (key.startsWith("rtsql.")) {
            if (!DEFAULTS.containsKey(key)) {
                return "unknown setting '" + key + "'" + DidYouMean.suggest(key, DEFAULTS.keySet())
                        + " (known: " + String.join(", ", new TreeMap<>(DEFAULTS).keySet()) + ")";
            }
            long min = key.equals(SLACK) ? 0 : 1;
            try {
                long v = Long.parseLong(value.trim());
                if (v < min || v > EventTimes.MAX_INTERVAL) {
                    return key + ": " + value + " (expected: >= " + min + " and <= "
                            + EventTimes.MAX_INTERVAL + ", 1,000 years)";
                }
            } catch (NumberFormatException e) {
                return key + ": '" + value + "' is not a whole number";
            }
            values.put(key, value.trim());
            return null;
        }
        values.put(key, value);
        return null;
    }

    String get(String key) {
        return values.get(key);
    }

    long slack() {
        return Long.parseLong(values.get(SLACK));
    }

    int buckets() {
        return (int) Math.min(Integer.MAX_VALUE, Long.parseLong(values.get(BUCKETS)));
    }

    Map<String, String> all() {
        return new TreeMap<>(values);
    }

    List<String> keys() {
        return List.copyOf(new TreeMap<>(values).keySet());
    }
}
