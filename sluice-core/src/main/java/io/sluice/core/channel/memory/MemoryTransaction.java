package io.sluice.core.channel.memory;

import io.sluice.api.BasicTransaction;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.TransactionCapacityExceededException;
import java.util.Arrays;
import java.util.List;

/**
 * One transaction on a {@link MemoryChannel}. Puts are kept here until commit; takes are moved out
 * of the channel at once and kept here until commit (or put back by rollback). At most
 * {@code transactionCapacity} puts and as many takes. Owned by one thread.
 */
final class MemoryTransaction extends BasicTransaction {
    private static final Event[] NONE = new Event[0];

    private final MemoryChannel channel;
    private final int limit;
    private Event[] puts = NONE;
    private int putCount;
    private long putBytes;
    private Event[] takes = NONE;
    private int takeCount;
    private final long[] takeBytes = new long[1];

    MemoryTransaction(MemoryChannel channel) {
        this.channel = channel;
        this.limit = channel.transactionCapacity();
    }

    @Override
    protected void doBegin() {
    }

    @Override
    protected void doPut(Event event) {
        channel.counter().addPutAttempts(1);
        if (putCount >= limit) {
            throw putLimit(1);
        }
        if (putCount == puts.length) {
            puts = Arrays.copyOf(puts, Math.min(limit, Math.max(16, puts.length * 2)));
        }
        puts[putCount++] = event;
        putBytes += event.bodyLength();
    }

    @Override
    protected void doPutAll(List<Event> events) {
        int n = events.size();
        channel.counter().addPutAttempts(n);
        if (putCount + n > limit) {
            throw putLimit(n);
        }
        if (putCount == 0) {
            puts = events.toArray(NONE);
            for (Event e : puts) {
                if (e == null) {
                    throw new NullPointerException("events contains null");
                }
                putBytes += e.bodyLength();
            }
            putCount = n;
            return;
        }
        if (putCount + n > puts.length) {
            puts = Arrays.copyOf(puts, Math.min(limit, Math.max(putCount + n, puts.length * 2)));
        }
        for (Event e : events) {
            if (e == null) {
                throw new NullPointerException("events contains null");
            }
            puts[putCount++] = e;
            putBytes += e.bodyLength();
        }
    }

    private TransactionCapacityExceededException putLimit(int adding) {
        return new TransactionCapacityExceededException("[" + channel.label() + "] a transaction may put at most "
                + limit + " events (transactionCapacity), and " + putCount + " + " + adding + " is more: commit in"
                + " smaller batches or raise " + channel.label() + ".transactionCapacity",
                channel.label() + ".transactionCapacity", limit);
    }

    @Override
    protected Event doTake() {
        channel.counter().addTakeAttempts(1);
        checkTakeRoom();
        ensureTakeRoom(1);
        int n = channel.takeInto(takes, takeCount, 1, takeBytes);
        if (n == 0) {
            return null;
        }
        return takes[takeCount++];
    }

    @Override
    protected int doTakeBatch(int max, List<? super Event> out) {
        checkTakeRoom();
        int want = Math.min(max, limit - takeCount);
        ensureTakeRoom(want);
        int n = channel.takeInto(takes, takeCount, want, takeBytes);
        channel.counter().addTakeAttempts(n < max ? n + 1 : n);
        for (int i = takeCount; i < takeCount + n; i++) {
            out.add(takes[i]);
        }
        takeCount += n;
        return n;
    }

    private void checkTakeRoom() {
        if (takeCount >= limit) {
            throw new ChannelException("[" + channel.label() + "] a transaction may take at most " + limit
                    + " events (transactionCapacity): commit more often, take smaller batches, or raise "
                    + channel.label() + ".transactionCapacity");
        }
    }

    private void ensureTakeRoom(int more) {
        if (takeCount + more > takes.length) {
            takes = Arrays.copyOf(takes, Math.min(limit, Math.max(takeCount + more, takes.length * 2)));
        }
    }

    @Override
    protected void doCommit() {
        if (putCount == 0 && takeCount == 0) {
            return;
        }
        channel.commit(puts, putCount, putBytes, takeCount, takeBytes[0]);
        clear();
    }

    @Override
    protected void doRollback() {
        channel.returnTakes(takes, takeCount);
        clear();
    }

    private void clear() {
        puts = NONE;
        putCount = 0;
        putBytes = 0;
        takes = NONE;
        takeCount = 0;
        takeBytes[0] = 0;
    }
}
