package io.sluice.channel.file.spillable;

import io.sluice.api.BasicTransaction;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.TransactionCapacityExceededException;
import java.util.ArrayList;
import java.util.List;

/**
 * One transaction on a {@link SpillableMemoryChannel}: either puts (kept here until commit, then
 * placed whole in memory or in the overflow) or takes (all from the side the oldest event was on
 * when the first take ran). At most {@code transactionCapacity} puts or takes. Owned by one thread.
 */
final class SpillableTransaction extends BasicTransaction {
    private enum Side { NONE, MEMORY, OVERFLOW }

    private final SpillableMemoryChannel channel;
    private final int limit;
    private final List<Event> puts = new ArrayList<>();
    private long putUnits;
    private Side takeSide = Side.NONE;
    /** Events taken from memory (kept to put back on rollback). */
    private final List<Event> memoryTakes = new ArrayList<>();
    private long memoryTakeUnits;
    /** The overflow's transaction, when this one takes from the overflow. */
    private Transaction overflowTx;
    private int overflowTakes;

    SpillableTransaction(SpillableMemoryChannel channel) {
        this.channel = channel;
        this.limit = channel.transactionCapacity();
    }

    @Override
    protected void doBegin() {
        channel.checkStarted();
    }

    @Override
    protected void doPut(Event event) {
        channel.counter().addPutAttempts(1);
        checkNoTakes();
        if (puts.size() >= limit) {
            throw putLimit(1);
        }
        puts.add(event);
        putUnits += channel.config().units(event.bodyLength());
    }

    @Override
    protected void doPutAll(List<Event> events) {
        channel.counter().addPutAttempts(events.size());
        checkNoTakes();
        if (puts.size() + events.size() > limit) {
            throw putLimit(events.size());
        }
        for (Event e : events) {
            if (e == null) {
                throw new NullPointerException("events contains null");
            }
            puts.add(e);
            putUnits += channel.config().units(e.bodyLength());
        }
    }

    private void checkNoTakes() {
        if (takeSide != Side.NONE) {
            throw new IllegalStateException(channel.label() + " put() called in a transaction that has taken events:"
                    + " a spillable memory channel transaction either puts or takes, not both");
        }
    }

    private TransactionCapacityExceededException putLimit(int adding) {
        return new TransactionCapacityExceededException(channel.label() + " a transaction may put at most " + limit
                + " events (transactionCapacity), and " + puts.size() + " + " + adding + " is more: commit in smaller"
                + " batches or raise " + channel.label() + ".transactionCapacity",
                channel.label() + ".transactionCapacity", limit);
    }

    @Override
    protected Event doTake() {
        List<Event> one = new ArrayList<>(1);
        return takeInto(1, one, true) == 0 ? null : one.get(0);
    }

    @Override
    protected int doTakeBatch(int max, List<? super Event> out) {
        return takeInto(max, out, false);
    }

    private int takeInto(int max, List<? super Event> out, boolean single) {
        if (!puts.isEmpty()) {
            throw new IllegalStateException(channel.label() + " take() called in a transaction that has put events:"
                    + " a spillable memory channel transaction either puts or takes, not both");
        }
        int taken = memoryTakes.size() + overflowTakes;
        if (taken >= limit) {
            throw new ChannelException(channel.label() + " a transaction may take at most " + limit
                    + " events (transactionCapacity): commit more often, take smaller batches, or raise "
                    + channel.label() + ".transactionCapacity");
        }
        int want = Math.min(max, limit - taken);
        int n = 0;
        channel.lock().lock();
        try {
            int front = channel.frontSide();
            if (front != 0) {
                if (takeSide == Side.NONE) {
                    takeSide = front > 0 ? Side.MEMORY : Side.OVERFLOW;
                    if (takeSide == Side.OVERFLOW) {
                        overflowTx = channel.overflow().getTransaction();
                        overflowTx.begin();
                    }
                }
                if (takeSide == Side.MEMORY && front > 0) {
                    int before = memoryTakes.size();
                    n = channel.takeFromMemory(want, memoryTakes);
                    for (int i = before; i < memoryTakes.size(); i++) {
                        Event e = memoryTakes.get(i);
                        memoryTakeUnits += channel.config().units(e.bodyLength());
                        out.add(e);
                    }
                } else if (takeSide == Side.OVERFLOW && front < 0) {
                    n = channel.takeFromOverflow(overflowTx, want, out);
                    overflowTakes += n;
                }
            }
        } finally {
            channel.lock().unlock();
        }
        channel.counter().addTakeAttempts(single || n < max ? n + 1 : n);
        return n;
    }

    @Override
    protected void doCommit() {
        if (!puts.isEmpty()) {
            long start = System.nanoTime();
            channel.commitPuts(puts, putUnits);
            channel.counter().addPutSuccesses(puts.size());
            channel.counter().commitLatency(puts.size(), 0, System.nanoTime() - start);
            puts.clear();
            putUnits = 0;
        } else if (takeSide == Side.MEMORY) {
            channel.memoryTakesCommitted(memoryTakes.size(), memoryTakeUnits);
            memoryTakes.clear();
            memoryTakeUnits = 0;
        } else if (takeSide == Side.OVERFLOW) {
            long start = System.nanoTime();
            overflowTx.commit();
            channel.counter().commitLatency(0, overflowTakes, System.nanoTime() - start);
            channel.overflowTakesCommitted(overflowTakes);
            overflowTakes = 0;
        }
    }

    @Override
    protected void doRollback() {
        puts.clear();
        putUnits = 0;
        if (takeSide == Side.MEMORY && !memoryTakes.isEmpty()) {
            channel.returnToMemory(memoryTakes);
            memoryTakes.clear();
            memoryTakeUnits = 0;
        } else if (takeSide == Side.OVERFLOW && overflowTx.state() == Transaction.State.OPEN) {
            channel.returnToOverflow(overflowTx, overflowTakes);
            overflowTakes = 0;
        }
    }

    @Override
    protected void doClose() {
        if (overflowTx != null) {
            overflowTx.close();
        }
    }
}
