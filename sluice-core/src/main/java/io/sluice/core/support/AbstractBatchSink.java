package io.sluice.core.support;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.SinkCounter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

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
 * {@code ChannelReadFail}.
 *
 * <p>The hot path allocates nothing per event: one batch list is reused for every transaction,
 * and {@code deliver} sees it through one read-only view made at construction.
 *
 * <p>Thread-safety: {@code process()} is called by one runner thread at a time (the {@link
 * io.sluice.api.Sink} contract), so the batch needs no lock; a subclass whose {@code stop()} may
 * race with its delivery guards its own state.
 */
public abstract class AbstractBatchSink extends AbstractSink implements BatchSizeAware {
    private final String label;
    private final int batchSize;
    private final SinkCounter counter;
    private final ArrayList<Event> batch;
    private final List<Event> batchView;
    private Transaction current;

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
    }

    @Override
    public final Status process() throws EventDeliveryException {
        beforeBatch();
        try (Transaction tx = getChannel().getTransaction()) {
            tx.begin();
            int n;
            try {
                n = tx.takeBatch(batchSize, batch);
            } catch (ChannelException e) {
                counter.incrementChannelReadFail();
                tx.rollback();
                throw new EventDeliveryException("[" + label + "] could not take from the channel: " + e.getMessage(),
                        e);
            }
            counter.batch(n, batchSize);
            if (n == 0) {
                tx.commit();
                return Status.BACKOFF;
            }
            counter.addDrainAttempts(n);
            current = tx;
            try {
                deliver(batchView);
            } catch (EventDeliveryException | RuntimeException e) {
                tx.rollback();
                counter.incrementEventWriteFail();
                throw deliveryFailed(n, e);
            }
            tx.commit();
            counter.addDrainSuccesses(n);
            committed(batchView);
            return Status.READY;
        } finally {
            current = null;
            batch.clear();
        }
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
