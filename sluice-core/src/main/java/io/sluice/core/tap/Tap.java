package io.sluice.core.tap;

import io.sluice.api.Event;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One reader's bounded queue of tapped events. The agent's threads {@linkplain #offerAll offer}
 * whole batches and never wait: what does not fit within the capacity (counted in events) is
 * dropped and counted in {@link #dropped()}. A batch is queued as one element (one lock per batch,
 * on the queue's put side only, which the reader's take side does not share), so an open tap costs
 * the agent's thread a copy of the batch's references and a few atomic operations, not a lock per
 * event. The reader polls or drains at its own pace and closes the tap when done. Thread-safe: any
 * number of publishers; readers take turns on the reader lock, which guards the batch being read.
 */
public final class Tap implements AutoCloseable {
    private final TapPoint point;
    private final int capacity;
    private final LinkedBlockingQueue<List<Event>> batches = new LinkedBlockingQueue<>();
    /** Events queued (in {@link #batches} and the rest of {@link #current}); at most {@link #capacity}. */
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();
    private final Object readLock = new Object();
    /** The batch being read and the index of its next event; guarded by {@link #readLock}. */
    private List<Event> current = List.of();
    private int next;
    private volatile boolean closed;

    Tap(TapPoint point, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.point = point;
        this.capacity = capacity;
    }

    /** The point this tap is open on. */
    public TapPoint point() {
        return point;
    }

    /** Queues what fits of {@code events} (a prefix, in order) and counts the rest as dropped. */
    void offerAll(List<Event> events) {
        if (closed) {
            return;
        }
        int n = events.size();
        if (n == 0) {
            return;
        }
        offered.addAndGet(n);
        int take;
        while (true) {
            int q = queued.get();
            take = Math.min(n, capacity - q);
            if (take <= 0) {
                dropped.addAndGet(n);
                return;
            }
            if (queued.compareAndSet(q, q + take)) {
                break;
            }
        }
        if (take < n) {
            dropped.addAndGet(n - take);
        }
        // the publisher may reuse its list after the call: keep a copy of the references
        batches.offer(List.copyOf(take == n ? events : events.subList(0, take)));
    }

    /** The next event, waiting at most {@code timeout}; null when none came. */
    public Event poll(long timeout, TimeUnit unit) throws InterruptedException {
        synchronized (readLock) {
            if (next >= current.size()) {
                List<Event> b = batches.poll(timeout, unit);
                if (b == null) {
                    return null;
                }
                current = b;
                next = 0;
            }
            queued.decrementAndGet();
            return current.get(next++);
        }
    }

    /** Moves at most {@code max} queued events into {@code out}; returns how many. Never waits. */
    public int drainTo(Collection<? super Event> out, int max) {
        int moved = 0;
        synchronized (readLock) {
            while (moved < max) {
                if (next >= current.size()) {
                    List<Event> b = batches.poll();
                    if (b == null) {
                        break;
                    }
                    current = b;
                    next = 0;
                }
                int k = Math.min(max - moved, current.size() - next);
                out.addAll(current.subList(next, next + k));
                next += k;
                moved += k;
            }
        }
        if (moved > 0) {
            queued.addAndGet(-moved);
        }
        return moved;
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
        return Math.max(0, queued.get());
    }

    public boolean isClosed() {
        return closed;
    }

    /** Stops receiving; what is queued is discarded. Idempotent. */
    @Override
    public void close() {
        closed = true;
        point.remove(this);
        synchronized (readLock) {
            batches.clear();
            current = List.of();
            next = 0;
            queued.set(0);
        }
    }
}
