package io.sluice.api.metrics;

/** A sink's counters under Apache Flume's names. Thread-safe. */
public class SinkCounter extends CounterGroup {
    public static final String CONNECTION_CREATED = "ConnectionCreatedCount";
    public static final String CONNECTION_CLOSED = "ConnectionClosedCount";
    public static final String CONNECTION_FAILED = "ConnectionFailedCount";
    public static final String BATCH_EMPTY = "BatchEmptyCount";
    public static final String BATCH_UNDERFLOW = "BatchUnderflowCount";
    public static final String BATCH_COMPLETE = "BatchCompleteCount";
    public static final String DRAIN_ATTEMPT = "EventDrainAttemptCount";
    public static final String DRAIN_SUCCESS = "EventDrainSuccessCount";
    public static final String EVENT_WRITE_FAIL = "EventWriteFail";
    public static final String CHANNEL_READ_FAIL = "ChannelReadFail";
    /** From the start of a batch's transaction to its commit, for batches that delivered events. */
    public static final String BATCH_LATENCY = "BatchLatency";
    /** From an event's {@code timestamp} header (epoch milliseconds) to the commit that delivered it. */
    public static final String END_TO_END_LATENCY = "EndToEndLatency";

    private final LatencyHistogram batchLatency;
    private final LatencyHistogram endToEndLatency;

    public SinkCounter(String name) {
        super("SINK", name, CONNECTION_CREATED, CONNECTION_CLOSED, CONNECTION_FAILED, BATCH_EMPTY,
                BATCH_UNDERFLOW, BATCH_COMPLETE, DRAIN_ATTEMPT, DRAIN_SUCCESS, EVENT_WRITE_FAIL,
                CHANNEL_READ_FAIL);
        batchLatency = latency(BATCH_LATENCY);
        endToEndLatency = latency(END_TO_END_LATENCY);
    }

    /** Records one delivered batch's latency, from the start of its transaction to its commit. */
    public void batchLatency(long nanos) {
        batchLatency.record(nanos);
    }

    /** Records one event's end-to-end latency in milliseconds (commit time minus its {@code timestamp}). */
    public void endToEndLatencyMillis(long millis) {
        endToEndLatency.record(millis * 1_000_000L);
    }

    /** Records the end-to-end latency of {@code events} events that all had it (one timestamp, one commit). */
    public void endToEndLatencyMillis(long millis, long events) {
        endToEndLatency.record(millis * 1_000_000L, events);
    }

    /** Counts a batch of {@code taken} events for a sink whose batch size is {@code batchSize}. */
    public void batch(int taken, int batchSize) {
        if (taken == 0) {
            counter(BATCH_EMPTY).increment();
        } else if (taken < batchSize) {
            counter(BATCH_UNDERFLOW).increment();
        } else {
            counter(BATCH_COMPLETE).increment();
        }
    }

    public void addDrainAttempts(long n) {
        counter(DRAIN_ATTEMPT).add(n);
    }

    public void addDrainSuccesses(long n) {
        counter(DRAIN_SUCCESS).add(n);
    }

    public void incrementConnectionCreated() {
        counter(CONNECTION_CREATED).increment();
    }

    public void incrementConnectionClosed() {
        counter(CONNECTION_CLOSED).increment();
    }

    public void incrementConnectionFailed() {
        counter(CONNECTION_FAILED).increment();
    }

    public void incrementEventWriteFail() {
        counter(EVENT_WRITE_FAIL).increment();
    }

    public void incrementChannelReadFail() {
        counter(CHANNEL_READ_FAIL).increment();
    }
}
