package io.sluice.api;

/**
 * Implemented by a channel that limits how many events one transaction may put or take, so
 * validation can compare it with the batch sizes of the sources and sinks that use the channel.
 */
public interface TransactionCapacityAware {

    /** The most events one transaction may put or take. */
    int transactionCapacity();

    /** The key that sets {@link #transactionCapacity()}, relative to the channel, for messages. */
    default String transactionCapacityKey() {
        return "transactionCapacity";
    }
}
