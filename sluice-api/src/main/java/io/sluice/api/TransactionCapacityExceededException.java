package io.sluice.api;

import static java.util.Objects.requireNonNull;

/**
 * A put would pass the channel's {@code transactionCapacity}. It is a {@link ChannelFullException}
 * so that code written for that keeps working, but it is not back-pressure: the same batch will
 * never fit, so a source that can tell its sender so answers it as a permanent error (HTTP 413)
 * rather than "retry later".
 */
public class TransactionCapacityExceededException extends ChannelFullException {
    private static final long serialVersionUID = 1L;
    private final String capacityKey;
    private final int capacity;

    /**
     * @param capacityKey the full key that sets the capacity, such as
     *     {@code a1.channels.c1.transactionCapacity}
     */
    public TransactionCapacityExceededException(String message, String capacityKey, int capacity) {
        super(message);
        this.capacityKey = requireNonNull(capacityKey, "capacityKey is null");
        this.capacity = capacity;
    }

    public String capacityKey() {
        return capacityKey;
    }

    public int capacity() {
        return capacity;
    }
}
