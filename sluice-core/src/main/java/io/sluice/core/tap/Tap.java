package io.sluice.core.tap;

import io.sluice.api.Event;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * One reader's bounded queue of tapped events. The agent's threads {@linkplain #offerAll offer}
 * whole batches and never wait: what does not fit within the capacity (counted in events) is
 * dropped and counted in {@link #dropped()}. A batch is queued as one element, lock-free (a copy of
 * its references, a compare-and-set on the count, a non-blocking enqueue), and a publisher wakes the
 * reader only when the reader asked to be woken at that fill level ({@link #awaitQueued}): a reader
 * collecting a frame is woken once when enough is queued, not once per batch. A batch that does not
 * fit at all costs its publisher three atomic operations and nothing per event.
 *
 * <p>The reader takes events by the batch ({@link #pollBatch}: a view of a published batch, no copy),
 * or one at a time ({@link #poll}), or in bulk ({@link #drainTo}), and closes the tap when done.
 * Thread-safe: any number of publishers; readers take turns on the reader lock, which guards the
 * batch being read; one reader at a time waits ({@link #awaitQueued}, {@link #poll}).
 */
public final class Tap implements AutoCloseable {
    private static final int NOT_WAITING = Integer.MAX_VALUE;
    private static final AtomicIntegerFieldUpdater<Tap> WAKE_AT = AtomicIntegerFieldUpdater.newUpdater(Tap.class,
            "wakeAt");

    private final TapPoint point;
    private final int capacity;
    private final ConcurrentLinkedQueue<List<Event>> batches = new ConcurrentLinkedQueue<>();
    /** Events queued (in {@link #batches} and the rest of {@link #current}); at most {@link #capacity}. */
    private final AtomicInteger queued = new AtomicInteger();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong offered = new AtomicLong();
    private final Object readLock = new Object();
    /** The batch being read and the index of its next event; guarded by {@link #readLock}. */
    private List<Event> current = List.of();
    private int next;
    /** The queued count at which a publisher wakes the waiting reader; {@link #NOT_WAITING} when none waits. */
    private volatile int wakeAt = NOT_WAITING;
    /** The reader parked in {@link #awaitQueued}, or null. */
    private volatile Thread waiter;
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

    /** The most events this tap queues. */
    public int capacity() {
        return capacity;
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
        int q;
        int take;
        while (true) {
            q = queued.get();
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
        // the publisher may reuse its list after the call: keep a copy of the references (one array copy)
        Event[] copy = (take == n ? events : events.subList(0, take)).toArray(new Event[0]);
        batches.offer(Arrays.asList(copy));
        int w = wakeAt;
        if (q + take >= w && WAKE_AT.compareAndSet(this, w, NOT_WAITING)) {
            Thread t = waiter;
            if (t != null) {
                LockSupport.unpark(t);
            }
        }
    }

    /**
     * Waits until at least {@code atLeast} events are queued (at most the capacity is waited for),
     * the tap is closed, or {@code timeout} passed; returns whether that many are queued. The reader
     * is woken once, by the publisher that reaches the level, not by every batch.
     */
    public boolean awaitQueued(int atLeast, long timeout, TimeUnit unit) throws InterruptedException {
        int want = Math.max(1, Math.min(atLeast, capacity));
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        waiter = Thread.currentThread();
        try {
            while (true) {
                if (queued.get() >= want) {
                    return true;
                }
                long left = deadline - System.nanoTime();
                if (closed || left <= 0) {
                    return false;
                }
                wakeAt = want;
                if (queued.get() < want && !closed) {
                    LockSupport.parkNanos(this, left);
                }
                wakeAt = NOT_WAITING;
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
        } finally {
            wakeAt = NOT_WAITING;
            waiter = null;
        }
    }

    /**
     * At most {@code max} of the queued events, in order, as one list (a view of the batch they were
     * published in, never copied: do not modify it), or null when none is queued. Never waits.
     */
    public List<Event> pollBatch(int max) {
        if (max < 1) {
            throw new IllegalArgumentException("max: " + max + " (expected: > 0)");
        }
        List<Event> out;
        synchronized (readLock) {
            if (next >= current.size()) {
                List<Event> b = batches.poll();
                if (b == null) {
                    return null;
                }
                current = b;
                next = 0;
            }
            int k = Math.min(max, current.size() - next);
            out = next == 0 && k == current.size() ? current : current.subList(next, next + k);
            next += k;
        }
        queued.addAndGet(-out.size());
        return out;
    }

    /** The next event, waiting at most {@code timeout}; null when none came. */
    public Event poll(long timeout, TimeUnit unit) throws InterruptedException {
        long deadline = System.nanoTime() + unit.toNanos(timeout);
        while (true) {
            List<Event> one = pollBatch(1);
            if (one != null) {
                return one.get(0);
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !awaitQueued(1, left, TimeUnit.NANOSECONDS)) {
                one = pollBatch(1);
                return one == null ? null : one.get(0);
            }
        }
    }

    /** Moves at most {@code max} queued events into {@code out}; returns how many. Never waits. */
    public int drainTo(Collection<? super Event> out, int max) {
        int moved = 0;
        while (moved < max) {
            List<Event> b = pollBatch(max - moved);
            if (b == null) {
                break;
            }
            out.addAll(b);
            moved += b.size();
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

    /** Stops receiving; what is queued is discarded; a waiting reader returns. Idempotent. */
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
        Thread t = waiter;
        if (t != null) {
            LockSupport.unpark(t);
        }
    }
}
