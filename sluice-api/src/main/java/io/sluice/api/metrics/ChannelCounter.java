package io.sluice.api.metrics;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/** A channel's counters under Apache Flume's names. Thread-safe. */
public class ChannelCounter extends CounterGroup {
    public static final String SIZE = "ChannelSize";
    public static final String CAPACITY = "ChannelCapacity";
    public static final String FILL_PERCENTAGE = "ChannelFillPercentage";
    public static final String PUT_ATTEMPT = "EventPutAttemptCount";
    public static final String PUT_SUCCESS = "EventPutSuccessCount";
    public static final String TAKE_ATTEMPT = "EventTakeAttemptCount";
    public static final String TAKE_SUCCESS = "EventTakeSuccessCount";
    /** How long a commit of a transaction that put events took (its fsync included, for a durable channel). */
    public static final String PUT_COMMIT_LATENCY = "PutCommitLatency";
    /** How long a commit of a transaction that took events took. */
    public static final String TAKE_COMMIT_LATENCY = "TakeCommitLatency";

    // The adders the hot path updates, looked up once (a take of one event at a time, as Flume API
    // sinks do, updated them through a map lookup per event).
    private final LongAdder putAttempts;
    private final LongAdder putSuccesses;
    private final LongAdder takeAttempts;
    private final LongAdder takeSuccesses;
    private final LatencyHistogram putCommitLatency;
    private final LatencyHistogram takeCommitLatency;

    public ChannelCounter(String name) {
        super("CHANNEL", name, PUT_ATTEMPT, PUT_SUCCESS, TAKE_ATTEMPT, TAKE_SUCCESS);
        gauge(SIZE);
        gauge(CAPACITY);
        putAttempts = counter(PUT_ATTEMPT);
        putSuccesses = counter(PUT_SUCCESS);
        takeAttempts = counter(TAKE_ATTEMPT);
        takeSuccesses = counter(TAKE_SUCCESS);
        putCommitLatency = latency(PUT_COMMIT_LATENCY);
        takeCommitLatency = latency(TAKE_COMMIT_LATENCY);
    }

    /**
     * Records how long one commit took: under {@code PutCommitLatency} when it put events, under
     * {@code TakeCommitLatency} when it took events (both when it did both; neither when empty).
     */
    public void commitLatency(int puts, int takes, long nanos) {
        if (puts > 0) {
            putCommitLatency.record(nanos);
        }
        if (takes > 0) {
            takeCommitLatency.record(nanos);
        }
    }

    public void addPutAttempts(long n) {
        putAttempts.add(n);
    }

    public void addPutSuccesses(long n) {
        putSuccesses.add(n);
    }

    public void addTakeAttempts(long n) {
        takeAttempts.add(n);
    }

    public void addTakeSuccesses(long n) {
        takeSuccesses.add(n);
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
