package io.sluice.api.metrics;

import java.util.Map;

/** A channel's counters under Apache Flume's names. Thread-safe. */
public class ChannelCounter extends CounterGroup {
    public static final String SIZE = "ChannelSize";
    public static final String CAPACITY = "ChannelCapacity";
    public static final String FILL_PERCENTAGE = "ChannelFillPercentage";
    public static final String PUT_ATTEMPT = "EventPutAttemptCount";
    public static final String PUT_SUCCESS = "EventPutSuccessCount";
    public static final String TAKE_ATTEMPT = "EventTakeAttemptCount";
    public static final String TAKE_SUCCESS = "EventTakeSuccessCount";

    public ChannelCounter(String name) {
        super("CHANNEL", name, PUT_ATTEMPT, PUT_SUCCESS, TAKE_ATTEMPT, TAKE_SUCCESS);
        gauge(SIZE);
        gauge(CAPACITY);
    }

    public void addPutAttempts(long n) {
        counter(PUT_ATTEMPT).add(n);
    }

    public void addPutSuccesses(long n) {
        counter(PUT_SUCCESS).add(n);
    }

    public void addTakeAttempts(long n) {
        counter(TAKE_ATTEMPT).add(n);
    }

    public void addTakeSuccesses(long n) {
        counter(TAKE_SUCCESS).add(n);
    }

    public void setSize(long n) {
        gauge(SIZE).set(n);
    }

    public void setCapacity(long n) {
        gauge(CAPACITY).set(n);
    }

    @Override
    protected void derived(Map<String, Number> out) {
        long capacity = get(CAPACITY);
        out.put(FILL_PERCENTAGE, capacity == 0 ? 0.0 : get(SIZE) * 100.0 / capacity);
    }
}
