package io.sluice.api;

/**
 * The channel, or the transaction, had no room for the put. The source must roll back and tell its
 * sender to retry later (back-pressure); nothing was stored.
 */
public class ChannelFullException extends ChannelException {
    public ChannelFullException(String message) {
        super(message);
    }
}
