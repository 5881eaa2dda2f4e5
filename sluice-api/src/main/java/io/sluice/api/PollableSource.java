package io.sluice.api;

/**
 * A source driven by a runner thread that calls {@link #process()} in a loop. After BACKOFF the
 * runner sleeps, growing the sleep by {@link #backOffSleepIncrementMillis()} up to
 * {@link #maxBackOffSleepMillis()}, as Apache Flume's PollableSourceRunner does.
 */
public interface PollableSource extends Source {

    Status process() throws EventDeliveryException;

    default long backOffSleepIncrementMillis() {
        return 1000;
    }

    default long maxBackOffSleepMillis() {
        return 5000;
    }
}
