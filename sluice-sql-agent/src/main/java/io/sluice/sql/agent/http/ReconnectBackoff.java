package io.sluice.sql.agent.http;

import java.time.Duration;

import static java.util.Objects.requireNonNull;

/**
 * How long to wait before connecting to an rtsql server again: {@code min} after a connection that
 * worked, then doubling after each failure up to {@code max} (1 s to 30 s in the node protocol).
 * Used by one thread.
 */
public final class ReconnectBackoff {
    private final Duration min;
    private final Duration max;
    private Duration current;

    public ReconnectBackoff(Duration min, Duration max) {
        this.min = requireNonNull(min, "min is null");
        this.max = requireNonNull(max, "max is null");
        if (min.isNegative() || min.isZero() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("backoff: " + min + " to " + max + " (expected: 0 < min <= max)");
        }
        this.current = min;
    }

    /** The wait before the next attempt. */
    public Duration current() {
        return current;
    }

    /**
     * The wait after an attempt: {@code min} after one the server accepted, else the current wait,
     * which then doubles (up to {@code max}) for the next failure.
     */
    public Duration next(boolean accepted) {
        if (accepted) {
            current = min;
        }
        Duration wait = current;
        if (!accepted) {
            Duration doubled = current.multipliedBy(2);
            current = doubled.compareTo(max) > 0 ? max : doubled;
        }
        return wait;
    }
}
