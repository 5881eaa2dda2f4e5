package io.sluice.channel.file.spillable;

import io.sluice.api.Channel;
import io.sluice.api.ChannelException;
import io.sluice.api.ChannelFullException;
import io.sluice.api.Event;
import io.sluice.api.PutCommitListeners;
import io.sluice.api.Transaction;
import io.sluice.api.TransactionCapacityAware;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.channel.file.FileChannel;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The spillable memory channel ({@code type = SPILLABLEMEMORY}): events live in a bounded memory
 * queue while it has room; a put commit that does not find room there within
 * {@code overflowTimeout} goes, whole, to an overflow {@link FileChannel}. Takes follow the
 * {@link DrainOrder}, so events come out in the order their commits put them in, across memory and
 * overflow. What is in memory is lost when the process dies; what is in the overflow survives like
 * any file channel's events, and is taken first after a restart.
 *
 * <p>Each transaction either puts or takes (as in Apache Flume), and the takes of one transaction
 * all come from one side: a take that would cross from memory to the overflow, or back, returns
 * nothing, which ends the sink's batch there.
 *
 * <p>Thread-safe. {@link #lock} guards {@link #memory}, {@link #drain}, {@link #memoryHeld},
 * {@link #memoryUnitsHeld} and {@link #overflowActive}; it is held while events move between a
 * transaction and the queues (an overflow take reads the file channel's queue under it, as it must
 * stay in step with the drain order) but never during a commit's fsync. {@link #overflowPutLock}
 * orders commits into the overflow, so that the overflow's queue and the drain order agree on
 * which events each overflow run holds.
 */
public final class SpillableMemoryChannel implements Channel, TransactionCapacityAware {
    private static final Logger LOG = LoggerFactory.getLogger(SpillableMemoryChannel.class);

    private final String name;
    private final String label;
    private final SpillableMemoryConfig config;
    private final ChannelCounter counter;
    private final Clock clock;
    private final FileChannel overflow;
    private final PutCommitListeners putListeners = new PutCommitListeners();
    private final long overflowTimeoutNanos;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition memoryFreed = lock.newCondition();
    private final ReentrantLock overflowPutLock = new ReentrantLock();
    private final ArrayDeque<Event> memory = new ArrayDeque<>();
    private final DrainOrder drain = new DrainOrder();
    /** Events in memory plus those taken from it by open transactions. */
    private int memoryHeld;
    /** byteCapacity units of {@link #memoryHeld}. */
    private long memoryUnitsHeld;
    private boolean overflowActive;
    private volatile State state = State.IDLE;

    /**
     * @param overflow the overflow file channel (not started; this channel starts and stops it), or
     *     null when {@code config.overflow()} is null
     */
    public SpillableMemoryChannel(String name, String label, SpillableMemoryConfig config, ChannelCounter counter,
            FileChannel overflow, Clock clock) {
        this.name = requireNonNull(name, "name is null");
        this.label = requireNonNull(label, "label is null");
        this.config = requireNonNull(config, "config is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.clock = requireNonNull(clock, "clock is null");
        if ((overflow == null) != (config.overflow() == null)) {
            throw new IllegalArgumentException("overflow channel " + overflow + " does not match the configuration "
                    + config);
        }
        this.overflow = overflow;
        this.overflowTimeoutNanos = TimeUnit.SECONDS.toNanos(config.overflowTimeoutSeconds());
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int transactionCapacity() {
        return config.transactionCapacity();
    }

    public SpillableMemoryConfig config() {
        return config;
    }

    @Override
    public State lifecycleState() {
        return state;
    }

    /** Starts the overflow, which recovers what it held; those events are taken before any new one. */
    @Override
    public synchronized void start() {
        if (state == State.STARTED) {
            return;
        }
        state = State.STARTING;
        int recovered = 0;
        if (overflow != null) {
            try {
                overflow.start();
            } catch (RuntimeException e) {
                state = State.ERROR;
                throw e;
            }
            recovered = overflow.size();
        }
        lock.lock();
        try {
            drain.append(false, recovered);
            updateSize();
        } finally {
            lock.unlock();
        }
        counter.setCapacity((long) config.memoryCapacity() + config.overflowCapacity());
        counter.markStarted(clock.millis());
        state = State.STARTED;
        LOG.info("{} spillable memory channel started: memoryCapacity {}, overflowCapacity {}{}", label,
                config.memoryCapacity(), config.overflowCapacity(),
                recovered > 0 ? ", " + recovered + " events recovered from the overflow are taken first" : "");
    }

    /** Stops the overflow (which keeps its events); what is left in memory is lost, and said so. */
    @Override
    public synchronized void stop() {
        if (state != State.STARTED && state != State.ERROR) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPING;
        int lost;
        lock.lock();
        try {
            lost = memoryHeld;
        } finally {
            lock.unlock();
        }
        if (overflow != null) {
            overflow.stop();
        }
        counter.markStopped(clock.millis());
        state = State.STOPPED;
        if (lost > 0) {
            LOG.warn("{} stopped with {} event(s) in memory; they are lost with this process (only the overflow is"
                    + " kept)", label, lost);
        } else {
            LOG.info("{} stopped", label);
        }
    }

    @Override
    public Transaction getTransaction() {
        return new SpillableTransaction(this);
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

    /** Events that can be taken now, memory and overflow together. */
    public long size() {
        lock.lock();
        try {
            return drain.memoryEvents() + drain.overflowEvents();
        } finally {
            lock.unlock();
        }
    }

    /** Events in memory that can be taken now. */
    public long memorySize() {
        lock.lock();
        try {
            return drain.memoryEvents();
        } finally {
            lock.unlock();
        }
    }

    /** Events in the overflow that can be taken now. */
    public long overflowSize() {
        lock.lock();
        try {
            return drain.overflowEvents();
        } finally {
            lock.unlock();
        }
    }

    /** The drain order as runs, oldest first ({@code [o120, m40]}), for logs and tests. */
    public String drainOrder() {
        lock.lock();
        try {
            return drain.describe();
        } finally {
            lock.unlock();
        }
    }

    String label() {
        return label;
    }

    ChannelCounter counter() {
        return counter;
    }

    void checkStarted() {
        if (state != State.STARTED) {
            throw new ChannelException(label + " is " + state + ", not STARTED; start it before using transactions");
        }
    }

    /**
     * Commits {@code puts} whole to memory when it has room within overflowTimeout (no wait while
     * the overflow is active), else to the overflow; without an overflow, fails as full.
     */
    void commitPuts(List<Event> puts, long units) {
        int n = puts.size();
        if (config.memoryCapacity() > 0 && n <= config.memoryCapacity() && units <= config.byteCapacityUnits()) {
            lock.lock();
            try {
                long waitNanos = overflowActive ? 0 : overflowTimeoutNanos;
                while (!fitsInMemory(n, units) && waitNanos > 0) {
                    try {
                        waitNanos = memoryFreed.awaitNanos(waitNanos);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new ChannelException(label + " interrupted while waiting for room in memory for " + n
                                + " event(s); the transaction was not committed");
                    }
                }
                if (fitsInMemory(n, units)) {
                    memory.addAll(puts);
                    memoryHeld += n;
                    memoryUnitsHeld += units;
                    drain.append(true, n);
                    updateSize();
                    n = -1;
                }
            } finally {
                lock.unlock();
            }
            if (n < 0) {
                putListeners.fire();
                return;
            }
        }
        if (overflow == null) {
            throw memoryFull(n, units);
        }
        if (n > 0) {
            activateOverflow();
        }
        commitToOverflow(puts);
        putListeners.fire();
    }

    /** Memory had no room for a put: until enough of it is free again, puts that do not fit at once overflow at once. */
    private void activateOverflow() {
        if (config.memoryCapacity() == 0) {
            return;
        }
        lock.lock();
        try {
            if (!overflowActive) {
                overflowActive = true;
                LOG.info("{} memory is full ({} of {} events, {} of {} byte units); puts go to the overflow without"
                        + " waiting until {}% of memory is free again", label, memoryHeld, config.memoryCapacity(),
                        memoryUnitsHeld, config.byteCapacityUnits(), config.overflowDeactivationPercent());
            }
        } finally {
            lock.unlock();
        }
    }

    private boolean fitsInMemory(int n, long units) {
        return memoryHeld + n <= config.memoryCapacity() && memoryUnitsHeld + units <= config.byteCapacityUnits();
    }

    private ChannelFullException memoryFull(int n, long units) {
        lock.lock();
        try {
            boolean bySlots = memoryHeld + n > config.memoryCapacity();
            String what = bySlots
                    ? "it holds " + memoryHeld + " of " + config.memoryCapacity() + " events (memoryCapacity) and " + n
                            + " more do not fit"
                    : "it holds " + memoryUnitsHeld + " of " + config.byteCapacityUnits() + " units of "
                            + config.avgEventSize() + " bytes (byteCapacity less byteCapacityBufferPercentage, divided"
                            + " by avgEventSize) and " + units + " more do not fit";
            return new ChannelFullException(label + " memory is full and the overflow is off (overflowCapacity = 0): "
                    + what + " after waiting overflowTimeout " + config.overflowTimeoutSeconds() + " s. Speed up the"
                    + " sinks, raise " + label + "." + (bySlots ? "memoryCapacity" : "byteCapacity")
                    + ", or turn the overflow on with overflowCapacity");
        } finally {
            lock.unlock();
        }
    }

    private void commitToOverflow(List<Event> puts) {
        overflowPutLock.lock();
        try {
            try (Transaction tx = overflow.getTransaction()) {
                tx.begin();
                tx.putAll(puts);
                tx.commit();
            } catch (ChannelFullException e) {
                throw new ChannelFullException(label + " memory is full and so is the overflow: " + e.getMessage());
            }
            lock.lock();
            try {
                drain.append(false, puts.size());
                updateSize();
            } finally {
                lock.unlock();
            }
        } finally {
            overflowPutLock.unlock();
        }
    }

    /**
     * Which side the oldest event is on: 1 memory, -1 overflow, 0 empty. Called with the lock held.
     */
    int frontSide() {
        if (drain.isEmpty()) {
            return 0;
        }
        return drain.frontIsMemory() ? 1 : -1;
    }

    ReentrantLock lock() {
        return lock;
    }

    /** Moves up to {@code max} events of the oldest run, which is in memory, into {@code out}. Lock held. */
    int takeFromMemory(int max, List<? super Event> out) {
        int n = (int) Math.min(max, drain.frontCount());
        for (int i = 0; i < n; i++) {
            out.add(memory.poll());
        }
        drain.removeFront(true, n);
        updateSize();
        return n;
    }

    /** Takes up to {@code max} events of the oldest run, which is in the overflow, through {@code tx}. Lock held. */
    int takeFromOverflow(Transaction tx, int max, List<? super Event> out) {
        int want = (int) Math.min(max, drain.frontCount());
        int n = tx.takeBatch(want, out);
        if (n < want) {
            throw new ChannelException(label + " the drain order " + drain.describe() + " counts " + want
                    + " event(s) in the overflow but it gave " + n + "; this is a bug, please report it");
        }
        drain.removeFront(false, n);
        updateSize();
        return n;
    }

    /** A take transaction on memory committed: frees the room its events held. */
    void memoryTakesCommitted(int n, long units) {
        lock.lock();
        try {
            memoryHeld -= n;
            memoryUnitsHeld -= units;
            maybeDeactivateOverflow();
            memoryFreed.signalAll();
        } finally {
            lock.unlock();
        }
        counter.addTakeSuccesses(n);
    }

    /** A take transaction on the overflow committed. */
    void overflowTakesCommitted(int n) {
        lock.lock();
        try {
            maybeDeactivateOverflow();
        } finally {
            lock.unlock();
        }
        counter.addTakeSuccesses(n);
    }

    private void maybeDeactivateOverflow() {
        if (!overflowActive) {
            return;
        }
        double freePercent = config.memoryCapacity() == 0 ? 0
                : (config.memoryCapacity() - memoryHeld) * 100.0 / config.memoryCapacity();
        if (freePercent >= config.overflowDeactivationPercent() && config.memoryCapacity() > 0) {
            overflowActive = false;
            LOG.info("{} {}% of memory is free again; puts wait for memory again before they overflow", label,
                    (int) freePercent);
        }
    }

    /** Puts events taken from memory back before every other one, in their order. */
    void returnToMemory(List<Event> taken) {
        lock.lock();
        try {
            for (int i = taken.size() - 1; i >= 0; i--) {
                memory.addFirst(taken.get(i));
            }
            drain.prepend(true, taken.size());
            updateSize();
        } finally {
            lock.unlock();
        }
        putListeners.fire();
    }

    /** Rolls back an overflow take transaction: its events go back before every other one. */
    void returnToOverflow(Transaction tx, int n) {
        lock.lock();
        try {
            tx.rollback();
            drain.prepend(false, n);
            updateSize();
        } finally {
            lock.unlock();
        }
        putListeners.fire();
    }

    FileChannel overflow() {
        return overflow;
    }

    private void updateSize() {
        counter.setSize(drain.memoryEvents() + drain.overflowEvents());
    }

    @Override
    public String toString() {
        return "SpillableMemoryChannel" + label;
    }
}
