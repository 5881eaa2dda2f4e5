package io.sluice.core.support;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one log line through per interval and counts the ones it held back, so a repeated error
 * does not flood the log. Thread-safe.
 */
public final class RateLimitedLog {
    private final long intervalNanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(java.time.Duration interval) {
        this.intervalNanos = interval.toNanos();
    }

    /**
     * Whether to log now. When it returns true, {@link #takeSuppressed()} says how many were held
     * back since the last line.
     */
    public boolean allow() {
        long now = System.nanoTime();
        long next = nextAllowed.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    public long takeSuppressed() {
        return suppressed.getAndSet(0);
    }
}
