package io.sluice.sdk;

import io.sluice.api.EventDeliveryException;

/**
 * The agent answered a batch with {@code FAILED} or {@code UNKNOWN} instead of {@code OK}: it did
 * not store the batch (usually its channel is full). Retry later; the agent is back-pressuring.
 */
public class BatchRefusedException extends EventDeliveryException {
    private final String status;

    public BatchRefusedException(String target, String status, int events) {
        super("agent at " + target + " refused a batch of " + events + " event(s) with status " + status
                + " (its channel is probably full or a required channel failed); retry later");
        this.status = status;
    }

    /** The status the agent answered: {@code FAILED} or {@code UNKNOWN}. */
    public String status() {
        return status;
    }
}
