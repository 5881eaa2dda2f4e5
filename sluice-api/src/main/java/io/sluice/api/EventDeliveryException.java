package io.sluice.api;

/** A sink or pollable source failed to move events; its transaction was rolled back. */
public class EventDeliveryException extends Exception {
    public EventDeliveryException(String message) {
        super(message);
    }

    public EventDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
