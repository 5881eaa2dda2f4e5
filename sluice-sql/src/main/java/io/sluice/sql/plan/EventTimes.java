package io.sluice.sql.plan;

/**
 * The range of event times and interval lengths rtsql works with. Keeping both far inside
 * {@code long} means no window bound, watermark or join bound computed from them can overflow.
 * Stateless and thread-safe.
 */
public final class EventTimes {
    /** The earliest event time: 0001-01-01T00:00:00Z in milliseconds since the epoch. */
    public static final long MIN = -62_135_596_800_000L;
    /** The latest event time: 9999-12-31T23:59:59.999Z in milliseconds since the epoch. */
    public static final long MAX = 253_402_300_799_999L;
    /** The longest window, gap, join range or slack: 1,000 years of 365.25 days, in milliseconds. */
    public static final long MAX_INTERVAL = 365_250L * 86_400_000L;

    private EventTimes() {
    }

    /** True when {@code t} is an event time rtsql accepts. */
    public static boolean inRange(long t) {
        return t >= MIN && t <= MAX;
    }

    /** Why an event with time {@code t} is rejected, for the rejected-events list. */
    public static String outOfRange(long t) {
        return "event time " + t + " is outside the supported range " + MIN + " (0001-01-01T00:00:00Z) to " + MAX
                + " (9999-12-31T23:59:59.999Z); fix the timestamp column or the 'timestamp' header";
    }
}
