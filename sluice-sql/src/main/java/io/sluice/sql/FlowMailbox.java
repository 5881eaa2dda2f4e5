package io.sluice.sql;

import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The queue of work of one flow on a {@link FlowPool}: its input batches, rejects and input ends,
 * run in the order they were offered, one at a time, on whichever pool thread the flow's turn gets.
 * A turn runs at most {@value #TURN} items and then lets other flows have the thread.
 *
 * <p>Bounded in rows ({@code capacity}; a batch larger than that counts as {@code capacity}). When
 * it is full, what happens depends on the input ({@link Overflow}): {@code BLOCK} makes the
 * producer wait (back-pressure reaches the source), {@code WAIT_THEN_DROP} waits at most
 * {@code maxWait} and then drops the batch and counts its rows ({@link #dropped()}). A producer that
 * is itself a pool thread never waits (it might wait for its own thread): its batch goes in over the
 * bound.
 *
 * <p>Without an executor (a pool of 0 threads) {@link #offer} runs the work at once on the calling
 * thread and never drops.
 *
 * <p>Thread-safe: any number of producers; the turn flag makes sure one thread drains at a time.
 */
final class FlowMailbox {
    private static final Logger LOG = LoggerFactory.getLogger(FlowMailbox.class);
    static final int TURN = 64;

    /** What a full mailbox does to the producer. */
    enum Overflow {
        /** Wait for space: the producer (a file reader, a Java pusher, an agent source) slows down. */
        BLOCK,
        /**
         * Wait, but at most the mailbox's {@code maxWait}; then drop the batch for this flow and count
         * its rows. For a tee: its sender may be slowed (the agent's tap drops and counts when full,
         * never slowing the agent), but one wedged flow must not stall every flow reading the tee.
         */
        WAIT_THEN_DROP
    }

    private record Item(int permits, Runnable work) {
    }

    private final String label;
    private final Executor executor;
    private final int capacity;
    private final long maxWaitNanos;
    private final Semaphore space;
    private final ConcurrentLinkedQueue<Item> queue = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean scheduled = new AtomicBoolean();
    private final AtomicLong dropped = new AtomicLong();
    private volatile boolean closed;

    FlowMailbox(String label, Executor executor, int capacity, long maxWaitMillis) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        this.label = requireNonNull(label, "label is null");
        this.executor = executor;
        this.capacity = capacity;
        this.maxWaitNanos = TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        this.space = new Semaphore(capacity);
    }

    /**
     * Queues {@code work}, which carries {@code rows} rows (0 for an end of input).
     *
     * @return false if it was dropped (counted) or the flow has ended
     */
    boolean offer(int rows, Runnable work, Overflow overflow) {
        if (executor == null) {
            work.run();
            return true;
        }
        if (closed) {
            return false;
        }
        int permits = Math.min(rows, capacity);
        if (permits > 0 && !space.tryAcquire(permits)) {
            if (FlowPool.onWorker()) {
                permits = 0;
            } else if (!awaitSpace(permits, rows, overflow == Overflow.BLOCK ? Long.MAX_VALUE
                    : System.nanoTime() + maxWaitNanos)) {
                return false;
            }
        }
        queue.add(new Item(permits, work));
        schedule();
        return true;
    }

    /** Waits for {@code permits} until {@code deadline} (System.nanoTime()); false when dropped or closed. */
    private boolean awaitSpace(int permits, int rows, long deadline) {
        try {
            while (!space.tryAcquire(permits, Math.min(100_000_000L, Math.max(0, deadline - System.nanoTime())),
                    TimeUnit.NANOSECONDS)) {
                if (closed) {
                    return false;
                }
                if (deadline - System.nanoTime() <= 0) {
                    dropped.addAndGet(rows);
                    LOG.debug("[{}] queue full for longer than the wait; {} row(s) dropped", label, rows);
                    return false;
                }
            }
            if (closed) {
                space.release(permits);
                return false;
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            dropped.addAndGet(rows);
            LOG.warn("[{}] interrupted while waiting for queue space; {} row(s) dropped", label, rows);
            return false;
        }
    }

    private void schedule() {
        if (scheduled.compareAndSet(false, true)) {
            executor.execute(this::turn);
        }
    }

    private void turn() {
        try {
            for (int i = 0; i < TURN; i++) {
                Item it = queue.poll();
                if (it == null) {
                    break;
                }
                try {
                    it.work.run();
                } catch (RuntimeException e) {
                    LOG.error("[{}] work failed on the flow pool", label, e);
                } finally {
                    space.release(it.permits);
                }
            }
        } finally {
            scheduled.set(false);
        }
        if (!queue.isEmpty() && !closed) {
            schedule();
        }
    }

    /** Rows dropped because the mailbox stayed full (WAIT_THEN_DROP inputs only). */
    long dropped() {
        return dropped.get();
    }

    /** The flow ended: later offers are refused, waiting producers return, queued work is discarded. */
    void close() {
        closed = true;
        Item it;
        while ((it = queue.poll()) != null) {
            space.release(it.permits);
        }
        space.release(capacity);
    }
}
