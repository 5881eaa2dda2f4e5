package io.sluice.core.source.support;

import io.sluice.api.metrics.SourceCounter;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One source's budget for the bytes it holds for requests not yet answered, across all its
 * connections: a connection reserves bytes as they arrive and releases them when its request is
 * answered or it closes. A reservation beyond the budget fails, and the connection that asked is
 * refused and closed. The bytes held are the gauge {@value #GAUGE}; refusals are counted in
 * {@value #REFUSED}.
 *
 * <p>Thread-safe (lock-free).
 */
public final class PendingBytesBudget {
    /** Gauge of the bytes held for unanswered requests. */
    public static final String GAUGE = "PendingRequestBytes";
    /** Counter of connections refused because the budget was spent. */
    public static final String REFUSED = "PendingBytesRefusedCount";

    private final long maxBytes;
    private final SourceCounter counter;
    private final AtomicLong held = new AtomicLong();

    public PendingBytesBudget(long maxBytes, SourceCounter counter) {
        if (maxBytes < 1) {
            throw new IllegalArgumentException("maxBytes: " + maxBytes + " (expected: > 0)");
        }
        this.maxBytes = maxBytes;
        this.counter = counter;
        counter.gauge(GAUGE);
        counter.counter(REFUSED);
    }

    /** Takes {@code bytes} from the budget; false (and nothing taken) when that would pass it. */
    public boolean reserve(long bytes) {
        while (true) {
            long now = held.get();
            long next = now + bytes;
            if (next > maxBytes) {
                counter.counter(REFUSED).increment();
                return false;
            }
            if (held.compareAndSet(now, next)) {
                counter.gauge(GAUGE).set(next);
                return true;
            }
        }
    }

    /** Gives back bytes taken by {@link #reserve}. */
    public void release(long bytes) {
        if (bytes > 0) {
            counter.gauge(GAUGE).set(held.addAndGet(-bytes));
        }
    }

    public long maxBytes() {
        return maxBytes;
    }

    public long held() {
        return held.get();
    }
}
