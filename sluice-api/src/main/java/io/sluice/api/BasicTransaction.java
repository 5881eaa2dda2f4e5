package io.sluice.api;

import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The state machine every channel's transaction shares: it checks the state and the owning thread
 * before delegating to the {@code do*} methods, so a channel implements only the data movement.
 *
 * <p>Not thread-safe by design: one thread owns a transaction.
 */
public abstract class BasicTransaction implements Transaction {
    private static final Logger LOG = LoggerFactory.getLogger(BasicTransaction.class);

    private final Thread owner = Thread.currentThread();
    private State state = State.NEW;

    protected abstract void doBegin();

    protected abstract void doPut(Event event);

    protected void doPutAll(List<Event> events) {
        for (Event e : events) {
            doPut(e);
        }
    }

    protected abstract Event doTake();

    protected int doTakeBatch(int max, List<? super Event> out) {
        int n = 0;
        while (n < max) {
            Event e = doTake();
            if (e == null) {
                break;
            }
            out.add(e);
            n++;
        }
        return n;
    }

    protected abstract void doCommit();

    protected abstract void doRollback();

    /** Releases resources; called once from {@link #close()}. */
    protected void doClose() {
    }

    @Override
    public final void begin() {
        check("begin", State.NEW);
        doBegin();
        state = State.OPEN;
    }

    @Override
    public final void put(Event event) {
        requireNonNull(event, "event is null");
        check("put", State.OPEN);
        doPut(event);
    }

    @Override
    public final void putAll(List<Event> events) {
        requireNonNull(events, "events is null");
        check("putAll", State.OPEN);
        doPutAll(events);
    }

    @Override
    public final Event take() {
        check("take", State.OPEN);
        return doTake();
    }

    @Override
    public final int takeBatch(int max, List<? super Event> out) {
        if (max <= 0) {
            throw new IllegalArgumentException("max: " + max + " (expected: > 0)");
        }
        check("takeBatch", State.OPEN);
        return doTakeBatch(max, out);
    }

    @Override
    public final void commit() {
        check("commit", State.OPEN);
        doCommit();
        state = State.COMMITTED;
    }

    @Override
    public final void rollback() {
        check("rollback", State.OPEN);
        state = State.ROLLED_BACK;
        doRollback();
    }

    @Override
    public final State state() {
        return state;
    }

    @Override
    public final void close() {
        if (state == State.CLOSED) {
            return;
        }
        checkOwner("close");
        if (state == State.OPEN) {
            try {
                rollback();
            } catch (RuntimeException e) {
                LOG.warn("Rollback while closing an open transaction failed", e);
            }
        }
        state = State.CLOSED;
        doClose();
    }

    private void check(String op, State expected) {
        checkOwner(op);
        if (state != expected) {
            throw new IllegalStateException(op + "() called when transaction is " + state
                    + " (expected: " + expected + ")");
        }
    }

    private void checkOwner(String op) {
        if (Thread.currentThread() != owner) {
            throw new IllegalStateException(op + "() called from thread '" + Thread.currentThread().getName()
                    + "' but the transaction is owned by thread '" + owner.getName() + "'");
        }
    }
}
