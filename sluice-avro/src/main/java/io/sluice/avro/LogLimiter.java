package io.sluice.avro;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Lets one message through per interval and counts the ones held back, so a flood of bad
 * connections or a long full-channel spell does not flood the log. Thread-safe (lock-free).
 */
final class LogLimiter {
    private final long intervalNanos;
    private final AtomicLong next = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    LogLimiter(long intervalMillis) {
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    /** True when a message may be logged now. */
    boolean allow() {
        long now = System.nanoTime();
        long n = next.get();
        if ((n == Long.MIN_VALUE || now - n >= 0) && next.compareAndSet(n, now + intervalNanos)) {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    /** How many messages were held back since the last call. */
    long takeSuppressed() {
        return suppressed.getAndSet(0);
    }
}
