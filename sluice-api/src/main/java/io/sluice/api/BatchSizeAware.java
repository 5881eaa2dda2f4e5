package io.sluice.api;

/**
 * Implemented by a source or sink that moves events in batches, so validation can check that its
 * batch fits in the transaction capacity of the channel it talks to. Thread-safe: the value is
 * fixed once the component is configured.
 */
public interface BatchSizeAware {

    /** The largest number of events this component puts or takes in one transaction. */
    int batchSize();

    /** The key that sets {@link #batchSize()}, relative to the component, for messages. */
    default String batchSizeKey() {
        return "batchSize";
    }
}
