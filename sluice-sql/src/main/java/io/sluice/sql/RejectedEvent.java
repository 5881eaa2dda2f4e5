package io.sluice.sql;

import static java.util.Objects.requireNonNull;

/**
 * An event a flow could not read: which stream it came from, its raw text, and why it was rejected.
 * Immutable and thread-safe.
 */
public record RejectedEvent(String stream, String raw, String reason) {
    public RejectedEvent {
        requireNonNull(stream, "stream is null");
        requireNonNull(raw, "raw is null");
        requireNonNull(reason, "reason is null");
    }
}
