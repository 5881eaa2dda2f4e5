package io.sluice.bench.sql;

/**
 * One benchmark event as both engines receive it: a key out of 1000, an int value, an event time and
 * a payload, about 100 bytes in all. A JavaBean so that Esper can read it; the join uses the
 * subclasses {@link Left} and {@link Right} as its two event types. Mutable only while the data set
 * is generated; never changed once handed to an engine.
 */
public class BenchEvent {
    private final String key;
    private final int value;
    private final long ts;
    private final String payload;

    public BenchEvent(String key, int value, long ts, String payload) {
        this.key = key;
        this.value = value;
        this.ts = ts;
        this.payload = payload;
    }

    public String getKey() {
        return key;
    }

    public int getValue() {
        return value;
    }

    public long getTs() {
        return ts;
    }

    public String getPayload() {
        return payload;
    }

    /** An event of the join's left stream. */
    public static final class Left extends BenchEvent {
        public Left(String key, int value, long ts, String payload) {
            super(key, value, ts, payload);
        }
    }

    /** An event of the join's right stream. */
    public static final class Right extends BenchEvent {
        public Right(String key, int value, long ts, String payload) {
            super(key, value, ts, payload);
        }
    }
}
