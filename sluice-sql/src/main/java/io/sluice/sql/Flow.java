package io.sluice.sql;

import io.sluice.sql.exec.FlowStats;
import io.sluice.sql.exec.Operator;
import io.sluice.sql.exec.RowConsumer;
import io.sluice.sql.expr.ArithmeticErrors;
import io.sluice.sql.plan.EventTimes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * One running query. Its input streams feed it events; its operators turn them into rows, which
 * go to every subscribed {@link RowListener}.
 *
 * <p>Thread-safe. Input reaches the flow through its {@link FlowMailbox}: on an engine with a flow
 * pool the work runs on a pool thread, one turn at a time, in the order it was offered; without one
 * it runs on the thread that delivers the input (the flow's file-reading thread, or the thread that
 * pushes into a {@link StreamInput}). All operator work also happens under one lock per flow
 * ({@code lock}), which {@link #counters()} shares; listeners are called under that lock, so a
 * flow's rows arrive one at a time and in order. The watermark is the largest event time delivered so far minus the slack; it is
 * advanced after each input row, so results do not depend on how input was batched. An event whose
 * time is outside {@link EventTimes}' range is rejected here, before any operator sees it.
 *
 * <p>A flow over a partitioned source (KAFKA) keeps one copy of its operators per partition, each
 * with its own watermark ({@link #partition}); the copies share the flow's lock, counters and
 * listeners. So a partition's windows depend only on that partition's events, and a partition can
 * be dropped ({@link #revokePartition}) or restarted from another engine's watermark
 * ({@link #resumePartition}) without touching the others. The copies share the flow's mailbox,
 * which for such a flow is inline ({@link FlowPool#inlineMailbox}) even on a pooled engine: the
 * source takes a partition's {@link #progress} right after a push, so the push must have reached the
 * operators.
 */
public final class Flow {
    private static final Logger LOG = LoggerFactory.getLogger(Flow.class);

    /** The life cycle of a flow. */
    public enum State { RUNNING, FINISHED, FAILED, DROPPED }

    /** Where rows of one input of the flow go. */
    record Slot(String stream, RowConsumer target, boolean finite) {
    }

    private final long id;
    private final String query;
    private final List<Column> columns;
    private final Object lock;
    /** The flow this is a partition's copy of, or null. */
    private final Flow parent;
    private final List<Operator> operators;
    private final Operator[] watermarkOperators;
    private final Slot[] slots;
    private final boolean finite;
    private final long slack;
    private final FlowStats stats;
    private final CopyOnWriteArrayList<RowListener> listeners = new CopyOnWriteArrayList<>();
    private final CountDownLatch ended = new CountDownLatch(1);
    private final List<Runnable> onStop = new CopyOnWriteArrayList<>();
    private final FlowMailbox mailbox;

    private volatile State state = State.RUNNING;
    private volatile Throwable failure;
    private long maxTime = Long.MIN_VALUE;
    private long watermark = Long.MIN_VALUE;
    private int openSlots;
    /** Builds a partition's copy of this flow; null unless the flow reads a partitioned source. */
    private Supplier<Flow> partitionFactory;
    /** The partitions' copies, by partition; guarded by {@code lock}. */
    private final Map<Integer, Flow> partitions = new HashMap<>();
    /** The earliest event time the operators still hold (see {@link FlowBuilder#heldFrom}). */
    private LongSupplier held = () -> Long.MIN_VALUE;
    private volatile List<String> warnings = List.of();

    Flow(long id, String query, List<Column> columns, List<Operator> operators, List<Operator> watermarkOperators,
            List<Slot> slots, long slack, FlowStats stats, FlowMailbox mailbox) {
        this(id, query, columns, operators, watermarkOperators, slots, slack, stats, mailbox, null);
    }

    private Flow(long id, String query, List<Column> columns, List<Operator> operators,
            List<Operator> watermarkOperators, List<Slot> slots, long slack, FlowStats stats, FlowMailbox mailbox,
            Flow parent) {
        this.parent = parent;
        this.lock = parent == null ? new Object() : parent.lock;
        this.id = id;
        this.query = requireNonNull(query, "query is null");
        this.columns = List.copyOf(columns);
        this.operators = List.copyOf(operators);
        this.watermarkOperators = watermarkOperators.toArray(new Operator[0]);
        this.slots = slots.toArray(new Slot[0]);
        this.openSlots = this.slots.length;
        this.finite = slots.stream().allMatch(Slot::finite);
        this.slack = slack;
        this.stats = requireNonNull(stats, "stats is null");
        this.mailbox = requireNonNull(mailbox, "mailbox is null");
    }

    public long id() {
        return id;
    }

    /** The statement text that started the flow. */
    public String query() {
        return query;
    }

    /** The columns of the flow's output rows. */
    public List<Column> columns() {
        return columns;
    }

    public void subscribe(RowListener listener) {
        listeners.add(requireNonNull(listener, "listener is null"));
    }

    public void unsubscribe(RowListener listener) {
        listeners.remove(listener);
    }

    /** Waits until the flow has ended (finished, failed or dropped); true if it did in time. */
    public boolean awaitEnd(Duration timeout) throws InterruptedException {
        return ended.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    /** True if every input is finite (a FILE, or an input stream that will be ended). */
    public boolean isFinite() {
        return finite;
    }

    public State state() {
        return state;
    }

    public FlowCounters counters() {
        synchronized (lock) {
            return stats.snapshot().withDropped(mailbox.dropped());
        }
    }

    /** Events the flow rejected (at most {@value FlowStats#MAX_KEPT_REJECTS} kept; all are counted). */
    public List<RejectedEvent> rejectedEvents() {
        synchronized (lock) {
            return stats.rejectedEvents();
        }
    }

    /** Warnings found when the flow started (e.g. a GROUP BY that may span Kafka partitions). */
    public List<String> warnings() {
        return warnings;
    }

    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    @Override
    public String toString() {
        return "flow " + id + " (" + state + "): " + query;
    }

    // ---- engine side ----

    void warnings(List<String> w) {
        warnings = List.copyOf(w);
    }

    void onStop(Runnable r) {
        onStop.add(r);
    }

    /** Queues one parsed input row for slot {@code slot}; false if it was dropped (counted) or the flow ended. */
    boolean offer(int slot, Object[] row, long time, FlowMailbox.Overflow overflow) {
        return mailbox.offer(1, () -> deliver(slot, row, time), overflow);
    }

    /**
     * Queues several parsed rows for slot {@code slot}. The arrays are not copied (one stream's batch
     * is shared by every flow reading it): nobody may change them afterwards.
     */
    boolean offerBatch(int slot, Object[][] rows, long[] times, int count, FlowMailbox.Overflow overflow) {
        return mailbox.offer(count, () -> deliverBatch(slot, rows, times, count), overflow);
    }

    /** Queues the rejection of an event of slot {@code slot} behind the rows before it. */
    void offerReject(int slot, String raw, String reason, FlowMailbox.Overflow overflow) {
        mailbox.offer(1, () -> reject(slot, raw, reason), overflow);
    }

    /** Queues the end of input {@code slot} behind its rows; never dropped. */
    void offerEnd(int slot) {
        mailbox.offer(0, () -> endSlot(slot), FlowMailbox.Overflow.BLOCK);
    }

    /**
     * Makes this flow keep one copy of its operators per partition of a partitioned source;
     * {@code factory} builds a copy's operators (wired to this flow's {@link #emit}) and says what
     * they hold.
     */
    void partitionedBy(Supplier<FlowBuilder> factory) {
        partitionFactory = () -> {
            FlowBuilder fb = factory.get();
            Flow copy = new Flow(id, query, columns, fb.operators, fb.watermarkOperators, fb.slots, slack, stats,
                    mailbox, this);
            copy.held = fb::heldFrom;
            return copy;
        };
    }

    /** The copy of the flow for {@code partition} (made on first use), or null when the flow is not running. */
    Flow partition(int partition) {
        synchronized (lock) {
            if (state != State.RUNNING || partitionFactory == null) {
                return null;
            }
            return partitions.computeIfAbsent(partition, p -> partitionFactory.get());
        }
    }

    /** The progress of {@code partition}'s copy: see {@link EventSourceProvider.Progress}. */
    EventSourceProvider.Progress progress(int partition) {
        synchronized (lock) {
            if (state != State.RUNNING) {
                return EventSourceProvider.Progress.ALL_HELD; // its windows will never be emitted
            }
            Flow copy = partitions.get(partition);
            if (copy == null) {
                return EventSourceProvider.Progress.NONE;
            }
            return new EventSourceProvider.Progress(copy.held.getAsLong(), copy.watermark);
        }
    }

    /** Forgets {@code partition}'s copy and starts a new one whose watermark is {@code wm}. */
    void resumePartition(int partition, long wm) {
        synchronized (lock) {
            revokePartition(partition);
            Flow copy = partition(partition);
            if (copy != null && wm != Long.MIN_VALUE) {
                copy.watermark = wm;
                for (Operator op : copy.watermarkOperators) {
                    op.advance(wm);
                }
            }
        }
    }

    /** Forgets {@code partition}'s copy without emitting what its windows hold. */
    void revokePartition(int partition) {
        synchronized (lock) {
            Flow copy = partitions.remove(partition);
            if (copy != null) {
                copy.state = State.DROPPED;
                copy.closeOperators();
            }
        }
    }

    /** Output of the last operator: wraps the values into a {@link Row} for every listener. */
    void emit(Object[] values, long time) {
        stats.rowsOut++;
        Row row = Row.wrap(time, values);
        for (RowListener l : listeners) {
            try {
                l.onRow(row);
            } catch (RuntimeException e) {
                LOG.warn("[flow {}] a row listener failed; the flow goes on", id, e);
            }
        }
    }

    /** Delivers one parsed input row to slot {@code slot}. */
    void deliver(int slot, Object[] row, long time) {
        synchronized (lock) {
            if (state != State.RUNNING) {
                return;
            }
            ArithmeticErrors.Sink previous = ArithmeticErrors.enter(stats);
            try {
                stats.eventsIn++;
                Slot s = slots[slot];
                if (!EventTimes.inRange(time)) {
                    stats.reject(s.stream, Arrays.toString(row), EventTimes.outOfRange(time));
                    return;
                }
                s.target.accept(row, time);
                advanceTime(time);
            } catch (RuntimeException e) {
                failWhileLocked(e);
            } finally {
                ArithmeticErrors.exit(previous);
            }
        }
    }

    /** Delivers several parsed rows to slot {@code slot} under one lock; same result as one by one. */
    void deliverBatch(int slot, Object[][] rows, long[] times, int count) {
        synchronized (lock) {
            if (state != State.RUNNING) {
                return;
            }
            ArithmeticErrors.Sink previous = ArithmeticErrors.enter(stats);
            try {
                Slot s = slots[slot];
                for (int i = 0; i < count; i++) {
                    stats.eventsIn++;
                    long time = times[i];
                    if (!EventTimes.inRange(time)) {
                        stats.reject(s.stream, Arrays.toString(rows[i]), EventTimes.outOfRange(time));
                        continue;
                    }
                    s.target.accept(rows[i], time);
                    advanceTime(time);
                }
            } catch (RuntimeException e) {
                failWhileLocked(e);
            } finally {
                ArithmeticErrors.exit(previous);
            }
        }
    }

    /** Moves the watermark on when {@code time} is the latest seen so far; caller holds the lock. */
    private void advanceTime(long time) {
        if (time > maxTime) {
            maxTime = time;
            long wm = time - slack;
            if (wm > watermark) {
                watermark = wm;
                for (Operator op : watermarkOperators) {
                    op.advance(wm);
                }
            }
        }
    }

    /** Counts an event of slot {@code slot} that could not be read, and keeps it with the reason. */
    void reject(int slot, String raw, String reason) {
        synchronized (lock) {
            if (state != State.RUNNING) {
                return;
            }
            stats.eventsIn++;
            stats.reject(slots[slot].stream, raw, reason);
        }
    }

    /** Input {@code slot} ended; when every input has ended the flow emits what remains and ends. */
    void endSlot(int slot) {
        boolean done = false;
        synchronized (lock) {
            if (state != State.RUNNING) {
                return;
            }
            openSlots--;
            if (openSlots <= 0) {
                ArithmeticErrors.Sink previous = ArithmeticErrors.enter(stats);
                try {
                    for (Operator op : operators) {
                        op.finish();
                    }
                    state = State.FINISHED;
                } catch (RuntimeException e) {
                    failWhileLocked(e);
                    return;
                } finally {
                    ArithmeticErrors.exit(previous);
                }
                closeOperators();
                done = true;
            }
        }
        if (done) {
            ended();
        }
    }

    /** Fails the flow with {@code cause}. */
    void fail(Throwable cause) {
        synchronized (lock) {
            if (state != State.RUNNING) {
                return;
            }
            failure = cause;
            state = State.FAILED;
            closeOperators();
        }
        LOG.error("[flow {}] failed: {}", id, cause.toString(), cause);
        ended();
    }

    private void failWhileLocked(Throwable cause) {
        if (parent != null) {
            state = State.FAILED;
            parent.failWhileLocked(cause);
            return;
        }
        failure = cause;
        state = State.FAILED;
        closeOperators();
        LOG.error("[flow {}] failed: {}", id, cause.toString(), cause);
        // listeners are told outside of the caller's loop; they may call back into the engine
        new Thread(this::ended, "rtsql-flow-" + id + "-end").start();
    }

    /** Stops the flow without emitting what remains. */
    void drop() {
        synchronized (lock) {
            if (state != State.RUNNING) {
                return;
            }
            state = State.DROPPED;
            closeOperators();
        }
        ended();
    }

    boolean running() {
        return state == State.RUNNING;
    }

    private void closeOperators() {
        for (Flow copy : partitions.values()) {
            copy.state = State.DROPPED;
            copy.closeOperators();
        }
        partitions.clear();
        for (Operator op : operators) {
            try {
                op.close();
            } catch (RuntimeException e) {
                LOG.warn("[flow {}] closing an operator failed", id, e);
            }
        }
    }

    private void ended() {
        mailbox.close();
        for (Runnable r : onStop) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.warn("[flow {}] clean-up failed", id, e);
            }
        }
        for (RowListener l : new ArrayList<>(listeners)) {
            try {
                l.onEnd(this);
            } catch (RuntimeException e) {
                LOG.warn("[flow {}] a row listener failed at the end", id, e);
            }
        }
        ended.countDown();
    }
}
