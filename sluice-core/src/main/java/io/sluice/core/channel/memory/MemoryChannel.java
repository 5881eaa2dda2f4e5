package io.sluice.core.channel.memory;

import io.sluice.api.Channel;
import io.sluice.api.ChannelException;
import io.sluice.api.ChannelFullException;
import io.sluice.api.Event;
import io.sluice.api.PutCommitListeners;
import io.sluice.api.Transaction;
import io.sluice.api.TransactionCapacityAware;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.core.channel.ResizableChannel;
import io.sluice.core.support.AbstractComponent;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A bounded in-memory queue of events. Committed puts enter the queue in order; takes leave it but
 * keep their slot (and bytes) reserved until the taking transaction commits, so a rollback can put
 * them back at the head in their order.
 *
 * <p>Thread-safe. {@link #lock} guards {@link #ring}, {@link #head}, {@link #count},
 * {@link #outstandingTakes} and {@link #bytesUsed}. Each batch operation takes the lock once:
 * a transaction's puts are copied in at commit, a batch of takes is copied out in one go. A commit
 * that does not fit waits up to keep-alive for space, then fails with {@link ChannelFullException};
 * a take from an empty queue returns nothing at once, and each commit that puts events (or a rollback
 * that returns taken ones) tells the put-commit listeners, so a waiting sink runner wakes at once.
 *
 * <p>On reload, {@link #resizeLike} changes {@link #capacity} and {@link #byteLimit} (both guarded by
 * {@link #lock}) in place when what the channel holds fits the new limits.
 */
public final class MemoryChannel extends AbstractComponent
        implements Channel, TransactionCapacityAware, ResizableChannel {
    /** The keys whose change a running memory channel applies in place (see {@link #resizeLike}). */
    public static final Set<String> RESIZABLE_KEYS = Set.of("capacity", "byteCapacity",
            "byteCapacityBufferPercentage");
    private static final Logger LOG = LoggerFactory.getLogger(MemoryChannel.class);
    private static final int INITIAL_RING = 1024;

    private final String label;
    private int capacity;
    private final int transactionCapacity;
    private long byteLimit;
    private final long keepAliveNanos;
    private final ChannelCounter counter;
    private final PutCommitListeners putListeners = new PutCommitListeners();

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition notFull = lock.newCondition();
    private Event[] ring;
    private int head;
    private int count;
    private int outstandingTakes;
    private long bytesUsed;

    /**
     * @param label the component's full name for messages, e.g. {@code a1.channels.c1}
     * @param byteLimit the most body bytes held (stored plus taken-but-uncommitted); {@code Long.MAX_VALUE} for none
     */
    public MemoryChannel(String name, String label, int capacity, int transactionCapacity, long byteLimit,
            long keepAliveMillis, ChannelCounter counter) {
        super(name);
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: > 0)");
        }
        if (transactionCapacity < 1 || transactionCapacity > capacity) {
            throw new IllegalArgumentException("transactionCapacity: " + transactionCapacity
                    + " (expected: 1.." + capacity + ")");
        }
        this.label = label;
        this.capacity = capacity;
        this.transactionCapacity = transactionCapacity;
        this.byteLimit = byteLimit <= 0 ? Long.MAX_VALUE : byteLimit;
        this.keepAliveNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, keepAliveMillis));
        this.counter = counter;
        this.ring = new Event[Math.min(capacity, INITIAL_RING)];
        counter.setCapacity(capacity);
    }

    @Override
    public Transaction getTransaction() {
        return new MemoryTransaction(this);
    }

    @Override
    public boolean addPutCommitListener(Runnable listener) {
        putListeners.add(listener);
        return true;
    }

    @Override
    public void removePutCommitListener(Runnable listener) {
        putListeners.remove(listener);
    }

    @Override
    public int transactionCapacity() {
        return transactionCapacity;
    }

    /** Events stored and not taken by any open transaction. */
    public int size() {
        lock.lock();
        try {
            return count;
        } finally {
            lock.unlock();
        }
    }

    /** Body bytes held, including those of taken-but-uncommitted events. */
    public long bytesUsed() {
        lock.lock();
        try {
            return bytesUsed;
        } finally {
            lock.unlock();
        }
    }

    /** The most events held (changes when {@link #resizeLike} applies a new size). */
    public int capacity() {
        lock.lock();
        try {
            return capacity;
        } finally {
            lock.unlock();
        }
    }

    /** The most body bytes held ({@code Long.MAX_VALUE} for no limit). */
    public long byteLimit() {
        lock.lock();
        try {
            return byteLimit;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Set<String> resizableKeys() {
        return RESIZABLE_KEYS;
    }

    /**
     * Takes the capacity and byte limit of {@code rebuilt} (a memory channel built from the changed
     * keys, not started) when what this channel holds, taken-but-uncommitted events included, fits
     * them; commits waiting for space are woken up when the channel grew. The events and the
     * counters stay as they are.
     */
    @Override
    public Optional<String> resizeLike(Channel rebuilt) {
        if (!(rebuilt instanceof MemoryChannel)) {
            return Optional.of("the new configuration is not a memory channel");
        }
        MemoryChannel target = (MemoryChannel) rebuilt;
        if (target.transactionCapacity != transactionCapacity) {
            return Optional.of("transactionCapacity changed too (" + transactionCapacity + " -> "
                    + target.transactionCapacity + ")");
        }
        int newCapacity = target.capacity();
        long newByteLimit = target.byteLimit();
        int oldCapacity;
        lock.lock();
        try {
            int held = count + outstandingTakes;
            if (held > newCapacity) {
                return Optional.of("it holds " + held + " events, more than the new capacity of " + newCapacity);
            }
            if (bytesUsed > newByteLimit) {
                return Optional.of("it holds " + bytesUsed + " body bytes, more than the new byte limit of "
                        + newByteLimit);
            }
            oldCapacity = capacity;
            capacity = newCapacity;
            byteLimit = newByteLimit;
            counter.setCapacity(newCapacity);
            notFull.signalAll();
        } finally {
            lock.unlock();
        }
        LOG.info("[{}] memory channel resized in place: capacity {} -> {}, byte limit {}", label, oldCapacity,
                newCapacity, newByteLimit == Long.MAX_VALUE ? "unlimited" : newByteLimit);
        return Optional.empty();
    }

    String label() {
        return label;
    }

    ChannelCounter counter() {
        return counter;
    }

    @Override
    protected void doStart() {
        counter.markStarted(System.currentTimeMillis());
        LOG.info("[{}] memory channel started: capacity={} transactionCapacity={} byteCapacity={}", label,
                capacity, transactionCapacity, byteLimit == Long.MAX_VALUE ? "unlimited" : byteLimit);
    }

    @Override
    protected void doStop() {
        int left = size();
        counter.markStopped(System.currentTimeMillis());
        if (left > 0) {
            LOG.warn("[{}] memory channel stopped with {} event(s) still in it; they are lost with this process "
                    + "(use a file channel to keep events across restarts)", label, left);
        } else {
            LOG.info("[{}] memory channel stopped empty", label);
        }
    }

    /** Commits puts and takes of {@code tx} atomically; waits up to keep-alive for space. */
    void commit(Event[] puts, int putCount, long putBytes, int takeCount, long takeBytes) {
        lock.lock();
        try {
            if (putCount > 0) {
                long waitNanos = keepAliveNanos;
                while (count + outstandingTakes - takeCount + putCount > capacity
                        || bytesUsed - takeBytes + putBytes > byteLimit) {
                    if (waitNanos <= 0) {
                        throw full(putCount, putBytes, takeCount, takeBytes);
                    }
                    try {
                        waitNanos = notFull.awaitNanos(waitNanos);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ChannelException("[" + label + "] interrupted while waiting for space to commit "
                                + putCount + " event(s); the transaction was not committed");
                    }
                }
            }
            if (takeCount > 0) {
                outstandingTakes -= takeCount;
                bytesUsed -= takeBytes;
            }
            if (putCount > 0) {
                ensureRing(count + outstandingTakes + putCount);
                int tail = (head + count) % ring.length;
                int first = Math.min(putCount, ring.length - tail);
                System.arraycopy(puts, 0, ring, tail, first);
                if (first < putCount) {
                    System.arraycopy(puts, first, ring, 0, putCount - first);
                }
                count += putCount;
                bytesUsed += putBytes;
            }
            if (takeCount > 0) {
                notFull.signalAll();
            }
            counter.setSize(count);
        } finally {
            lock.unlock();
        }
        if (putCount > 0) {
            counter.addPutSuccesses(putCount);
            putListeners.fire();
        }
        if (takeCount > 0) {
            counter.addTakeSuccesses(takeCount);
        }
    }

    private ChannelFullException full(int putCount, long putBytes, int takeCount, long takeBytes) {
        boolean bySlots = count + outstandingTakes - takeCount + putCount > capacity;
        String what = bySlots
                ? "it holds " + (count + outstandingTakes) + " of " + capacity + " events (capacity) and "
                        + putCount + " more do not fit"
                : "it holds " + bytesUsed + " body bytes, and " + putBytes + " more would pass its byte limit of "
                        + byteLimit + " (byteCapacity minus byteCapacityBufferPercentage)";
        return new ChannelFullException("[" + label + "] memory channel is full: " + what + " after waiting keep-alive "
                + TimeUnit.NANOSECONDS.toMillis(keepAliveNanos) + " ms. The sinks are not keeping up: add or speed up "
                + "sinks, or raise " + label + "." + (bySlots ? "capacity" : "byteCapacity") + " or keep-alive");
    }

    /**
     * Moves up to {@code max} events from the head of the queue into {@code dest} at {@code offset};
     * returns at once when the queue is empty (a sink runner waits for the next put commit instead,
     * see {@link #addPutCommitListener}). Returns how many were moved and adds their bytes
     * to {@code bytesOut[0]}.
     */
    int takeInto(Event[] dest, int offset, int max, long[] bytesOut) {
        int n;
        lock.lock();
        try {
            n = Math.min(max, count);
            if (n == 0) {
                return 0;
            }
            int first = Math.min(n, ring.length - head);
            System.arraycopy(ring, head, dest, offset, first);
            Arrays.fill(ring, head, head + first, null);
            if (first < n) {
                System.arraycopy(ring, 0, dest, offset + first, n - first);
                Arrays.fill(ring, 0, n - first, null);
            }
            head = (head + n) % ring.length;
            count -= n;
            outstandingTakes += n;
            long bytes = 0;
            for (int i = offset; i < offset + n; i++) {
                bytes += dest[i].bodyLength();
            }
            bytesOut[0] += bytes;
            counter.setSize(count);
        } finally {
            lock.unlock();
        }
        return n;
    }

    /** Puts {@code taken[offset, offset + takeCount)} back at the head of the queue, in their order. */
    void returnTakes(Event[] taken, int offset, int takeCount) {
        if (takeCount == 0) {
            return;
        }
        lock.lock();
        try {
            ensureRing(count + takeCount);
            head = Math.floorMod(head - takeCount, ring.length);
            int first = Math.min(takeCount, ring.length - head);
            System.arraycopy(taken, offset, ring, head, first);
            if (first < takeCount) {
                System.arraycopy(taken, offset + first, ring, 0, takeCount - first);
            }
            count += takeCount;
            outstandingTakes -= takeCount;
            counter.setSize(count);
        } finally {
            lock.unlock();
        }
        putListeners.fire();
    }

    /** Grows the ring (up to capacity) so it holds {@code needed} events. Lock held. */
    private void ensureRing(int needed) {
        if (needed <= ring.length) {
            return;
        }
        int len = ring.length;
        int newLen = (int) Math.max(needed, Math.min(capacity, Math.max((long) needed, (long) len * 2)));
        Event[] bigger = new Event[newLen];
        int first = Math.min(count, len - head);
        System.arraycopy(ring, head, bigger, 0, first);
        if (first < count) {
            System.arraycopy(ring, 0, bigger, first, count - first);
        }
        ring = bigger;
        head = 0;
    }
}
