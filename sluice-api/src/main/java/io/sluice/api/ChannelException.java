package io.sluice.api;

/** A channel could not perform an operation; the transaction must be rolled back. */
public class ChannelException extends RuntimeException {
    public ChannelException(String message) {
        super(message);
    }

    public ChannelException(String message, Throwable cause) {
        super(message, cause);
    }
}
