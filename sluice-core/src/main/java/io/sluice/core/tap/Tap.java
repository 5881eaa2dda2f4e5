package io.sluice.core.tap;

import io.sluice.api.Event;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One reader's bounded queue of tapped events. The agent's threads {@linkplain #offerAll offer}
 * events and never wait: an event that does not fit is dropped and counted in {@link #dropped()}.
 * The reader polls or drains at its own pace and closes the tap when done. Thread-safe.
 */
public final class Tap implements AutoCloseable {
    private final TapPoint point;
    private final ArrayBlockingQueue<Event> queue;
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();
    private volatile boolean closed;

    Tap(TapPoint point, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.point = point;
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** The point this tap is open on. */
    public TapPoint point() {
        return point;
    }

    void offerAll(List<Event> events) {
        if (closed) {
            return;
        }
        int n = events.size();
        offered.addAndGet(n);
        for (int i = 0; i < n; i++) {
            if (!queue.offer(events.get(i))) {
                // full: the rest of the batch would not fit either
                dropped.addAndGet(n - i);
                return;
            }
        }
    }

    /** The next event, waiting at most {@code timeout}; null when none came. */
    public Event poll(long timeout, TimeUnit unit) throws InterruptedException {
        return queue.poll(timeout, unit);
    }

    /** Moves at most {@code max} queued events into {@code out}; returns how many. Never waits. */
    public int drainTo(Collection<? super Event> out, int max) {
        return queue.drainTo(out, max);
    }

    /** Events dropped because the queue was full. */
    public long dropped() {
        return dropped.get();
    }

    /** Events offered to this tap (queued or dropped). */
    public long offered() {
        return offered.get();
    }

    /** Events queued now. */
    public int queued() {
        return queue.size();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops receiving; what is queued is discarded. Idempotent. */
    @Override
    public void close() {
        closed = true;
        point.remove(this);
        queue.clear();
    }
}
