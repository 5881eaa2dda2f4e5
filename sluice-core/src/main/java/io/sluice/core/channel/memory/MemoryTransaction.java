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
 *
 * <p>Single {@link #take()}s (the way Apache Flume's sinks take, one event at a time) are served
 * from a small read-ahead: each time the read-ahead runs dry, the transaction moves the next
 * chunk out of the channel under one lock, a chunk as large as the takes served so far (1, 1, 2,
 * 4, ... at most {@value #MAX_READ_AHEAD}, never past {@code transactionCapacity}). Events read
 * ahead but not yet served go back to the head of the channel, in order, at commit or rollback, so
 * what a commit removes is exactly what was served; until then they are held like taken events.
 */
final class MemoryTransaction extends BasicTransaction {
    private static final Event[] NONE = new Event[0];
    static final int MAX_READ_AHEAD = 64;

    private final MemoryChannel channel;
    private final int limit;
    private Event[] puts = NONE;
    private int putCount;
    private long putBytes;
    private Event[] takes = NONE;
    /** Takes served to the caller: {@code takes[0, takeCount)}. */
    private int takeCount;
    /** Events moved out of the channel: {@code takes[0, fetched)}; those past takeCount are read ahead. */
    private int fetched;
    /** Body bytes of {@code takes[0, fetched)}. */
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
        if (takeCount == fetched) {
            int chunk = Math.min(limit - fetched, Math.max(1, Math.min(MAX_READ_AHEAD, fetched)));
            ensureTakeRoom(chunk);
            int n = channel.takeInto(takes, fetched, chunk, takeBytes);
            if (n == 0) {
                return null;
            }
            fetched += n;
        }
        return takes[takeCount++];
    }

    @Override
    protected int doTakeBatch(int max, List<? super Event> out) {
        checkTakeRoom();
        int want = Math.min(max, limit - takeCount);
        int served = Math.min(want, fetched - takeCount);
        if (served < want) {
            ensureTakeRoom(want - served);
            fetched += channel.takeInto(takes, fetched, want - served, takeBytes);
        }
        int n = Math.min(want, fetched - takeCount);
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
        if (fetched + more > takes.length) {
            takes = Arrays.copyOf(takes, Math.min(limit, Math.max(fetched + more, takes.length * 2)));
        }
    }

    /** Puts the events read ahead but never served back at the head of the channel. */
    private void returnReadAhead() {
        int unserved = fetched - takeCount;
        if (unserved == 0) {
            return;
        }
        long bytes = 0;
        for (int i = takeCount; i < fetched; i++) {
            bytes += takes[i].bodyLength();
        }
        channel.returnTakes(takes, takeCount, unserved);
        Arrays.fill(takes, takeCount, fetched, null);
        fetched = takeCount;
        takeBytes[0] -= bytes;
    }

    @Override
    protected void doCommit() {
        returnReadAhead();
        if (putCount == 0 && takeCount == 0) {
            return;
        }
        long start = System.nanoTime();
        channel.commit(puts, putCount, putBytes, takeCount, takeBytes[0]);
        channel.counter().commitLatency(putCount, takeCount, System.nanoTime() - start);
        clear();
    }

    @Override
    protected void doRollback() {
        channel.returnTakes(takes, 0, fetched);
        clear();
    }

    private void clear() {
        puts = NONE;
        putCount = 0;
        putBytes = 0;
        takes = NONE;
        takeCount = 0;
        fetched = 0;
        takeBytes[0] = 0;
    }
}
