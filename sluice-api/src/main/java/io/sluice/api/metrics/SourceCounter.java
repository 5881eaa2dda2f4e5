package io.sluice.api.metrics;

/** A source's counters under Apache Flume's names. Thread-safe. */
public class SourceCounter extends CounterGroup {
    public static final String EVENT_RECEIVED = "EventReceivedCount";
    public static final String EVENT_ACCEPTED = "EventAcceptedCount";
    public static final String APPEND_RECEIVED = "AppendReceivedCount";
    public static final String APPEND_ACCEPTED = "AppendAcceptedCount";
    public static final String APPEND_BATCH_RECEIVED = "AppendBatchReceivedCount";
    public static final String APPEND_BATCH_ACCEPTED = "AppendBatchAcceptedCount";
    public static final String OPEN_CONNECTIONS = "OpenConnectionCount";
    public static final String CHANNEL_WRITE_FAIL = "ChannelWriteFail";
    public static final String EVENT_READ_FAIL = "EventReadFail";
    public static final String GENERIC_PROCESSING_FAIL = "GenericProcessingFail";

    public SourceCounter(String name) {
        super("SOURCE", name, EVENT_RECEIVED, EVENT_ACCEPTED, APPEND_RECEIVED, APPEND_ACCEPTED,
                APPEND_BATCH_RECEIVED, APPEND_BATCH_ACCEPTED, CHANNEL_WRITE_FAIL, EVENT_READ_FAIL,
                GENERIC_PROCESSING_FAIL);
        gauge(OPEN_CONNECTIONS);
    }

    public void addReceived(long n) {
        counter(EVENT_RECEIVED).add(n);
    }

    public void addAccepted(long n) {
        counter(EVENT_ACCEPTED).add(n);
    }

    public void incrementAppendReceived() {
        counter(APPEND_RECEIVED).increment();
    }

    public void incrementAppendAccepted() {
        counter(APPEND_ACCEPTED).increment();
    }

    public void incrementAppendBatchReceived() {
        counter(APPEND_BATCH_RECEIVED).increment();
    }

    public void incrementAppendBatchAccepted() {
        counter(APPEND_BATCH_ACCEPTED).increment();
    }

    public void incrementChannelWriteFail() {
        counter(CHANNEL_WRITE_FAIL).increment();
    }

    public void incrementEventReadFail() {
        counter(EVENT_READ_FAIL).increment();
    }

    public void incrementGenericProcessingFail() {
        counter(GENERIC_PROCESSING_FAIL).increment();
    }

    public void setOpenConnections(long n) {
        gauge(OPEN_CONNECTIONS).set(n);
    }
}
