package io.sluice.core.support;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.deadletter.EventRejectedException;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.tap.TapKind;
import io.sluice.core.tap.TapPoint;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The base class of every sink: it owns the transaction dance and the counters, and a subclass
 * implements only the delivery. Each {@link #process()} calls {@link #beforeBatch()}, begins a
 * transaction, takes up to {@code batchSize} events, hands them to {@link #deliver(List)}, and
 * commits only after {@code deliver} returned; if it throws, the take is rolled back (the events
 * stay in the channel and are retried: at-least-once) and the failure is rethrown as an
 * {@link EventDeliveryException} made by {@link #deliveryFailed(int, Exception)}. An empty take
 * commits and answers {@link Status#BACKOFF}. Apache Flume's counters are kept on the way:
 * {@code BatchEmptyCount}/{@code BatchUnderflowCount}/{@code BatchCompleteCount},
 * {@code EventDrainAttemptCount}, {@code EventDrainSuccessCount}, {@code EventWriteFail} and
 * {@code ChannelReadFail}. Each delivered batch records {@code BatchLatency} (from the start of its
 * transaction to its commit) and, for each event with a {@code timestamp} header in epoch
 * milliseconds, {@code EndToEndLatency} (from that timestamp to the commit); events without one,
 * or with a timestamp in the future or not a number, are not measured.
 *
 * <p><b>Dead letters.</b> Every sink accepts {@code deadLetter.channel}: another channel of the
 * agent. An event that fails for a reason tied to it (see {@link EventRejectedException}) is
 * reported by the subclass with {@link #reject(EventRejectedException)}, or thrown out of
 * {@code deliver} when nothing of the batch was made durable. With a dead-letter channel, the
 * event is set aside there (headers {@code sluice.error}, {@code sluice.component},
 * {@code sluice.failedAt}) in a transaction of its own, committed <em>before</em> the take, and
 * the rest of the batch goes on; if that put fails, the take is rolled back and the whole batch is
 * retried, so nothing is lost (events already written may then be written again: at-least-once).
 * Without one, a rejected event fails the batch like any other failure: rolled back and retried,
 * so one poison event holds the sink back until it is removed (Apache Flume's behaviour).
 * Dead-lettered events are counted in {@code EventDeadLetterCount} and not in
 * {@code EventDrainSuccessCount}. Failures of the destination never dead-letter.
 *
 * <p>A committed batch is published to the sink's {@link TapPoint} (one volatile read when no tap
 * is open); the agent sets the point before the sink starts.
 *
 * <p>The hot path allocates nothing per event: one batch list is reused for every transaction,
 * and {@code deliver} sees it through one read-only view made at construction.
 *
 * <p><b>Pipelining.</b> A sink whose destination acknowledges asynchronously may answer
 * {@link #maxInFlightBatches()} above 1 and implement {@link #send(List)}: then one {@code process()}
 * takes the next batch, in a transaction of its own, and sends it while earlier batches wait for
 * their acknowledgements, with at most that many batches (transactions) open. Transactions commit
 * strictly in the order they were taken, each only after its own batch is acknowledged. When a
 * batch fails, it and every later batch still open are rolled back, newest first, so their events
 * return to the head of the channel in their original order and are taken and sent again in that
 * order; batches before it that were acknowledged still commit. A send that fails rolls back its own
 * batch first, then lets the earlier ones settle. Every transaction a {@code process()} call opened
 * is committed or rolled back before it returns (so a transaction never outlives the runner's
 * step, and a stop never finds one open); a call goes on while the channel gives full batches, for
 * at most {@link #pipelineSliceNanos()}. This needs channels that let one thread hold several open
 * transactions and put a rollback's takes back at the head (memory, file, spillable memory, jdbc and
 * kafka all do). With a dead-letter channel the sink delivers one batch at a time.
 *
 * <p>Thread-safety: {@code process()} is called by one runner thread at a time (the {@link
 * io.sluice.api.Sink} contract), so the batch needs no lock; a subclass whose {@code stop()} may
 * race with its delivery guards its own state.
 */
public abstract class AbstractBatchSink extends AbstractSink implements BatchSizeAware, DeadLetterAware {
    /** Counter of the events this sink set aside in its dead-letter channel. */
    public static final String DEAD_LETTER_COUNT = "EventDeadLetterCount";
    private static final Logger LOG = LoggerFactory.getLogger(AbstractBatchSink.class);

    private static final String TIMESTAMP = "timestamp";
    /** How long one pipelined {@code process()} goes on taking full batches before it settles and returns. */
    private static final long PIPELINE_SLICE_NANOS = 200_000_000L;
    private final String label;
    private final int batchSize;
    private final SinkCounter counter;
    private final ArrayList<Event> batch;
    private final List<Event> batchView;
    private final List<EventRejectedException> rejected = new ArrayList<>();
    /** How many of {@link #rejected} are already committed to the dead-letter channel. */
    private int rejectedPut;
    private final LongAdder deadLettered;
    private final RateLimitedLog rejectLog = new RateLimitedLog(Duration.ofSeconds(10));
    private volatile DeadLetters deadLetters;
    private TapPoint tap;
    private Transaction current;
    /** Pipelined batches taken and sent, oldest first; empty between {@code process()} calls. */
    private final ArrayDeque<InFlight> inFlight = new ArrayDeque<>();
    /** Batch lists of settled pipelined batches, for reuse. */
    private final ArrayDeque<ArrayList<Event>> spareBatches = new ArrayDeque<>();

    /**
     * @param label the component's full name for messages, e.g. {@code a1.sinks.k1}
     * @param batchSize the most events taken per transaction
     */
    protected AbstractBatchSink(String name, String label, int batchSize, SinkCounter counter) {
        super(name);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: > 0)");
        }
        this.label = requireNonNull(label, "label is null");
        this.batchSize = batchSize;
        this.counter = requireNonNull(counter, "counter is null");
        this.batch = new ArrayList<>(Math.min(batchSize, 1024));
        this.batchView = Collections.unmodifiableList(batch);
        this.deadLettered = counter.counter(DEAD_LETTER_COUNT);
        this.tap = TapPoint.detached(TapKind.SINK, name);
    }

    @Override
    public final void setDeadLetters(DeadLetters deadLetters) {
        this.deadLetters = requireNonNull(deadLetters, "deadLetters is null");
    }

    /** Where rejected events go, or {@code null} when {@code deadLetter.channel} is not set. */
    protected final DeadLetters deadLetters() {
        return deadLetters;
    }

    /**
     * Where committed takes are published; the agent sets it before {@link #start()} (the runner
     * thread's start publishes it to the runner).
     */
    public final void tapPoint(TapPoint point) {
        this.tap = requireNonNull(point, "point is null");
    }

    @Override
    public final Status process() throws EventDeliveryException {
        int max = maxInFlightBatches();
        if (max > 1 && deadLetters == null) {
            return processPipelined(max);
        }
        beforeBatch();
        long start = System.nanoTime();
        try (Transaction tx = getChannel().getTransaction()) {
            int n = beginAndTake(tx, batch);
            if (n == 0) {
                return Status.BACKOFF;
            }
            counter.addDrainAttempts(n);
            current = tx;
            try {
                deliverAll();
                putDeadLetters();
            } catch (EventDeliveryException | RuntimeException e) {
                tx.rollback();
                counter.incrementEventWriteFail();
                throw deliveryFailed(n, e);
            }
            tx.commit();
            counter.batchLatency(System.nanoTime() - start);
            int letters = rejected.size();
            counter.addDrainSuccesses(n - letters - uncountedSuccesses());
            List<Event> done = batchView;
            if (letters > 0) {
                deadLettered.add(letters);
                logDeadLettered(letters);
                done = delivered();
            }
            endToEnd(done);
            tap.publish(done);
            committed(done);
            return backOffAfterCommit() ? Status.BACKOFF : Status.READY;
        } finally {
            current = null;
            batch.clear();
            rejected.clear();
            rejectedPut = 0;
        }
    }

    /** The acknowledgement of a batch handed to the destination by {@link #send(List)}. */
    @FunctionalInterface
    protected interface Acknowledgement {
        /** Returns once every event of the batch is acknowledged or durable; throws when any is not. */
        void await() throws EventDeliveryException;

        /**
         * The batch is rolled back after a failure: returns once nothing of it is still on its way
         * to the destination (every send ended, well or not), so its events, given again, are written
         * after whatever of them arrived. Does nothing by default.
         */
        default void abandon() {
        }
    }

    /** A pipelined batch: its open transaction, its events, its acknowledgement and when it was taken. */
    private record InFlight(Transaction tx, ArrayList<Event> events, Acknowledgement ack, long start) {
    }

    /**
     * The pipelined {@code process()}: takes and sends batches while earlier ones wait for their
     * acknowledgements (at most {@code max} open), commits them in order, and settles every one before
     * returning. READY when it committed something, else BACKOFF.
     */
    private Status processPipelined(int max) throws EventDeliveryException {
        long sliceStart = System.nanoTime();
        long slice = pipelineSliceNanos();
        int committedBatches = 0;
        try {
            while (true) {
                if (inFlight.size() >= max) {
                    settleOldest();
                    committedBatches++;
                }
                beforeBatch();
                InFlight sent = takeAndSend();
                if (sent == null) {
                    break;
                }
                inFlight.addLast(sent);
                if (sent.events().size() < batchSize || System.nanoTime() - sliceStart >= slice) {
                    break;
                }
            }
            while (!inFlight.isEmpty()) {
                settleOldest();
                committedBatches++;
            }
        } finally {
            // Only after a failure (or an Error) is anything still open: give it back, newest first.
            rollBackInFlight();
        }
        return committedBatches > 0 ? Status.READY : Status.BACKOFF;
    }

    /**
     * Takes a batch in a new transaction and sends it; null (after committing the empty take) when
     * the channel had nothing. A failure rolls back this batch, lets the earlier ones settle (commit
     * when acknowledged), and throws.
     */
    private InFlight takeAndSend() throws EventDeliveryException {
        long start = System.nanoTime();
        ArrayList<Event> events = spareBatches.isEmpty() ? new ArrayList<>(Math.min(batchSize, 1024))
                : spareBatches.pollFirst();
        Transaction tx = getChannel().getTransaction();
        boolean handedOver = false;
        try {
            int n = beginAndTake(tx, events);
            if (n == 0) {
                return null;
            }
            counter.addDrainAttempts(n);
            Acknowledgement ack;
            current = tx;
            try {
                ack = send(Collections.unmodifiableList(events));
            } catch (EventDeliveryException | RuntimeException e) {
                tx.rollback();
                counter.incrementEventWriteFail();
                EventDeliveryException failure = deliveryFailed(n, e);
                settleAfterFailure(failure);
                throw failure;
            } finally {
                current = null;
            }
            handedOver = true;
            return new InFlight(tx, events, ack, start);
        } finally {
            if (!handedOver) {
                tx.close();
                events.clear();
                spareBatches.addLast(events);
            }
        }
    }

    /** After the newest batch failed and was rolled back: commits the earlier ones that are acknowledged. */
    private void settleAfterFailure(EventDeliveryException failure) {
        try {
            while (!inFlight.isEmpty()) {
                settleOldest();
            }
        } catch (EventDeliveryException | RuntimeException e) {
            failure.addSuppressed(e);
        }
    }

    /**
     * Waits for the oldest batch's acknowledgement and commits its take; when it fails, rolls it and
     * every later open batch back, newest first, and throws.
     */
    private void settleOldest() throws EventDeliveryException {
        InFlight b = inFlight.peekFirst();
        int n = b.events().size();
        try {
            b.ack().await();
            b.tx().commit();
        } catch (EventDeliveryException | RuntimeException e) {
            counter.incrementEventWriteFail();
            rollBackInFlight();
            throw deliveryFailed(n, e);
        }
        inFlight.pollFirst();
        b.tx().close();
        counter.batchLatency(System.nanoTime() - b.start());
        counter.addDrainSuccesses(n);
        List<Event> done = Collections.unmodifiableList(b.events());
        endToEnd(done);
        tap.publish(done);
        committed(done);
        b.events().clear();
        spareBatches.addLast(b.events());
    }

    /**
     * Rolls back every open pipelined batch, newest first, so their events return in their order,
     * after letting every send of them end.
     */
    private void rollBackInFlight() {
        for (InFlight b : inFlight) {
            try {
                b.ack().abandon();
            } catch (RuntimeException e) {
                LOG.warn("[{}] abandoning a batch of {} event(s) failed: {}", label, b.events().size(), e.toString());
            }
        }
        while (!inFlight.isEmpty()) {
            InFlight b = inFlight.pollLast();
            try {
                b.tx().rollback();
            } catch (RuntimeException e) {
                LOG.warn("[{}] rolling back a batch of {} event(s) failed: {}", label, b.events().size(), e.toString());
            } finally {
                b.tx().close();
                b.events().clear();
                spareBatches.addLast(b.events());
            }
        }
    }

    /**
     * Begins {@code tx} and takes up to {@code batchSize} events into {@code into}, counting the batch;
     * commits an empty take. A failed take is rolled back and rethrown, worded.
     */
    private int beginAndTake(Transaction tx, List<Event> into) throws EventDeliveryException {
        tx.begin();
        int n;
        try {
            n = tx.takeBatch(batchSize, into);
        } catch (ChannelException e) {
            counter.incrementChannelReadFail();
            tx.rollback();
            throw new EventDeliveryException("[" + label + "] could not take from the channel: " + e.getMessage(), e);
        }
        counter.batch(n, batchSize);
        if (n == 0) {
            tx.commit();
        }
        return n;
    }

    /**
     * Calls {@code deliver}; when it throws an {@link EventRejectedException} (nothing of the batch
     * made durable) and a dead-letter channel is set, sets that event aside and delivers the rest
     * again, until a delivery returns. Each round removes one event, so it ends.
     */
    private void deliverAll() throws EventDeliveryException {
        List<Event> remaining = batchView;
        while (true) {
            try {
                if (!remaining.isEmpty()) {
                    deliver(remaining);
                }
                return;
            } catch (EventRejectedException e) {
                if (deadLetters == null) {
                    throw withoutDeadLetterChannel(e);
                }
                int at = indexOf(remaining, e.event());
                if (at < 0) {
                    throw new EventDeliveryException("[" + label + "] rejected an event that is not in the batch"
                            + " being delivered (" + e.reason() + "); rolled back to retry", e);
                }
                rejected.add(e);
                List<Event> rest = new ArrayList<>(remaining.size() - 1);
                rest.addAll(remaining.subList(0, at));
                rest.addAll(remaining.subList(at + 1, remaining.size()));
                remaining = Collections.unmodifiableList(rest);
            }
        }
    }

    /**
     * Commits the rejected events of this batch not yet committed to the dead-letter channel (set
     * when any was rejected).
     */
    private void putDeadLetters() throws EventDeliveryException {
        if (rejectedPut == rejected.size()) {
            return;
        }
        List<EventRejectedException> pending = rejected.subList(rejectedPut, rejected.size());
        try {
            deadLetters.putAll(pending);
        } catch (RuntimeException e) {
            throw new EventDeliveryException("[" + label + "] could not put " + pending.size() + " rejected event(s)"
                    + " into dead-letter channel " + deadLetters.channelName() + ", so the batch was rolled back to"
                    + " retry (" + pending.get(0).reason() + "): " + e.getMessage(), e);
        }
        rejectedPut = rejected.size();
    }

    /**
     * Commits, from {@code deliver}, the events of this batch rejected so far to the dead-letter
     * channel now instead of after {@code deliver} returns; a later rejection is put after
     * {@code deliver} as usual. A sink that records, before its take commits, that a batch was
     * delivered (and skips it when the channel hands it out again after a crash) calls this before
     * writing that record: otherwise a crash between the record and the dead-letter put would lose
     * the rejected events. Throws like a failed delivery when the put fails (the take is then
     * rolled back). Does nothing when nothing is pending.
     */
    protected final void putDeadLettersNow() throws EventDeliveryException {
        putDeadLetters();
    }

    /**
     * Every event of the transaction being delivered, in take order, including those set aside
     * as dead letters (a batch {@code deliver} sees after an {@link EventRejectedException} leaves
     * them out). Read-only; only valid during {@link #deliver(List)}. A sink that records channel
     * positions uses it to match {@link io.sluice.api.PositionedTransaction#takenPositions()},
     * which names every taken event.
     */
    protected final List<Event> takenBatch() {
        return batchView;
    }

    /** The events of the batch that were not rejected, in order. */
    private List<Event> delivered() {
        List<Event> out = new ArrayList<>(batch.size());
        for (Event e : batch) {
            boolean wasRejected = false;
            for (EventRejectedException r : rejected) {
                if (r.event() == e) {
                    wasRejected = true;
                    break;
                }
            }
            if (!wasRejected) {
                out.add(e);
            }
        }
        return Collections.unmodifiableList(out);
    }

    private static int indexOf(List<Event> events, Event event) {
        for (int i = 0; i < events.size(); i++) {
            if (events.get(i) == event) {
                return i;
            }
        }
        return events.indexOf(event);
    }

    /**
     * Reports, from {@code deliver}, that one event of the batch cannot be delivered for a reason
     * tied to it, and goes on: the subclass does not write that event and continues with the next.
     * With a dead-letter channel the event is set aside there when the batch commits. Without one
     * this throws an {@link EventDeliveryException} caused by {@code rejection}, and the batch is rolled back and retried like any failure.
     */
    protected final void reject(EventRejectedException rejection) throws EventDeliveryException {
        requireNonNull(rejection, "rejection is null");
        if (deadLetters == null) {
            throw withoutDeadLetterChannel(rejection);
        }
        rejected.add(rejection);
    }

    private EventDeliveryException withoutDeadLetterChannel(EventRejectedException e) {
        return new EventDeliveryException("[" + label + "] an event cannot be delivered (" + e.reason() + "); without"
                + " a dead-letter channel the batch is rolled back and retried, and this event holds the sink back"
                + " until it is removed. Set deadLetter.channel on this sink to set such events aside", e);
    }

    private void logDeadLettered(int letters) {
        if (rejectLog.allow()) {
            long held = rejectLog.takeSuppressed();
            LOG.warn("[{}] set {} event(s) aside in dead-letter channel {}: {}{}", label, letters,
                    deadLetters.channelName(), rejected.get(0).reason(),
                    held > 0 ? " (" + held + " similar messages not logged)" : "");
        }
    }

    /**
     * Records, for each event with a numeric {@code timestamp} header, the time from it to now. Events
     * next to each other with the same timestamp (the usual case: a source stamps a burst with one
     * millisecond) are recorded as one sample with their count, which costs what one event does.
     */
    private void endToEnd(List<Event> events) {
        long now = System.currentTimeMillis();
        long runAt = -1;
        long run = 0;
        String lastText = null; // events stamped together often share the very string: parse it once
        long lastParsed = -1;
        for (int i = 0, n = events.size(); i < n; i++) {
            String ts = events.get(i).header(TIMESTAMP);
            if (ts == null) {
                continue;
            }
            long t;
            if (ts == lastText) {
                t = lastParsed;
            } else {
                t = parseMillis(ts);
                lastText = ts;
                lastParsed = t;
            }
            if (t <= 0 || t > now) {
                continue;
            }
            if (t != runAt) {
                if (run > 0) {
                    counter.endToEndLatencyMillis(now - runAt, run);
                }
                runAt = t;
                run = 0;
            }
            run++;
        }
        if (run > 0) {
            counter.endToEndLatencyMillis(now - runAt, run);
        }
    }

    /** The epoch milliseconds in {@code s}, or -1 when it is not a plain non-negative number. */
    static long parseMillis(String s) {
        int len = s.length();
        if (len == 0 || len > 18) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /**
     * The transaction the batch being delivered was taken in; only valid during
     * {@link #deliver(List)} (a sink that dedupes by channel position reads it, see
     * {@link io.sluice.api.PositionedTransaction}). {@code null} outside {@code deliver}.
     */
    protected final Transaction currentTransaction() {
        return current;
    }

    /**
     * Called before each transaction, outside it: open or roll a file, connect. A failure here
     * takes nothing from the channel. Does nothing by default.
     */
    protected void beforeBatch() throws EventDeliveryException {
    }

    /**
     * Delivers a batch of one or more events; returns only once they are acknowledged or durable.
     * {@code events} is read-only and valid only during the call.
     */
    protected abstract void deliver(List<Event> events) throws EventDeliveryException;

    /**
     * How many batches may wait for their acknowledgements at once (see <i>Pipelining</i> above);
     * read at every {@code process()}. 1 by default: {@link #deliver(List)} one batch at a time. A
     * sink that answers more implements {@link #send(List)}.
     */
    protected int maxInFlightBatches() {
        return 1;
    }

    /**
     * How long one pipelined {@code process()} goes on taking full batches before it lets every batch
     * settle and returns (so the runner can stop it): 200 ms.
     */
    protected long pipelineSliceNanos() {
        return PIPELINE_SLICE_NANOS;
    }

    /**
     * Pipelined delivery: hands a batch to the destination and returns at once what waits for its
     * acknowledgement. Called only when {@link #maxInFlightBatches()} is above 1, on the runner
     * thread, in the order the batches were taken; the acknowledgements are awaited in that order.
     * {@code events} stays valid until the batch is committed or rolled back. A rejected event
     * ({@link #reject}) is not supported here. By default delivers synchronously.
     */
    protected Acknowledgement send(List<Event> events) throws EventDeliveryException {
        deliver(events);
        return () -> { };
    }

    /**
     * The exception {@code process()} throws after {@code deliver} failed and {@code taken} events
     * were rolled back; override to clean up (close a connection, abandon a file) and to word the
     * message. By default, {@code failure} itself if it is an {@link EventDeliveryException}.
     */
    protected EventDeliveryException deliveryFailed(int taken, Exception failure) {
        if (failure instanceof EventDeliveryException e) {
            return e;
        }
        return new EventDeliveryException("[" + label + "] delivering " + taken + " event(s) failed; rolled back to"
                + " retry: " + failure, failure);
    }

    /**
     * How many events of the batch just delivered were committed but are not to be counted in
     * {@code EventDrainSuccessCount} (a sink whose configuration decides, per outcome, what counts
     * as a success); read once after {@code deliver} returned, before the commit. 0 by default.
     */
    protected int uncountedSuccesses() {
        return 0;
    }

    /**
     * Whether {@code process()} answers {@link Status#BACKOFF} after committing the batch just
     * delivered, so the runner waits before the next take (a destination that asked to be spared);
     * read once after the commit. False by default.
     */
    protected boolean backOffAfterCommit() {
        return false;
    }

    /** Called after a batch was committed. {@code events} is valid only during the call. */
    protected void committed(List<Event> events) {
    }

    @Override
    public final int batchSize() {
        return batchSize;
    }

    /** The component's full name, for messages: {@code a1.sinks.k1}. */
    protected final String label() {
        return label;
    }

    public final SinkCounter counter() {
        return counter;
    }

    @Override
    protected void doStart() {
        counter.markStarted(System.currentTimeMillis());
    }

    @Override
    protected void doStop() {
        counter.markStopped(System.currentTimeMillis());
    }
}
