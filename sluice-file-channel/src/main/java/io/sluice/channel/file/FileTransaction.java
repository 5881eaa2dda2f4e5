package io.sluice.channel.file;

import io.sluice.api.BasicTransaction;
import io.sluice.api.ChannelException;
import io.sluice.api.ChannelFullException;
import io.sluice.api.Event;
import io.sluice.api.Lifecycle;
import io.sluice.api.MarkedTransaction;
import io.sluice.api.PositionedTransaction;
import io.sluice.api.TransactionCapacityExceededException;
import io.sluice.channel.file.log.CommitRequest;
import io.sluice.channel.file.log.LogStore;
import io.sluice.channel.file.log.RecordEncoder;
import io.sluice.channel.file.log.TakeList;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static java.util.Objects.requireNonNull;

/**
 * One transaction on a {@link FileChannel}. Puts are encoded into a private buffer and reach the
 * log only at commit, together with the TAKE record and the COMMIT record, so an uncommitted put
 * never touches the disk. Takes move pointers out of the queue at once (they count as live in
 * checkpoints until the commit) and go back to the head on rollback.
 *
 * <p>Not thread-safe: owned by one thread ({@link BasicTransaction} checks).
 */
final class FileTransaction extends BasicTransaction implements PositionedTransaction, MarkedTransaction {
    /** Events this transaction's takes handed out; damaged events taken are not among them. */
    private int takesDelivered;
    private final FileChannel channel;
    private final RecordEncoder encoder = new RecordEncoder(16 * 1024);
    private final List<Event> puts = new ArrayList<>();
    private final TakeList takes = new TakeList();
    private LogStore store;
    private long txId;
    private int permits;
    private String markerOwner;
    private byte[] markerOwnerBytes;
    private byte[] marker;

    FileTransaction(FileChannel channel) {
        this.channel = channel;
    }

    @Override
    protected void doBegin() {
        store = channel.store();
        txId = store.newTxId();
    }

    @Override
    protected void doPut(Event event) {
        putAllInternal(List.of(event));
    }

    @Override
    protected void doPutAll(List<Event> events) {
        putAllInternal(events);
    }

    private void putAllInternal(List<Event> events) {
        int n = events.size();
        channel.counter().addPutAttempts(n);
        channel.checkPutsAllowed(0);
        int txCap = channel.config().transactionCapacity();
        if (puts.size() + n > txCap) {
            String key = channel.label().replace("[", "").replace("]", "") + ".transactionCapacity";
            throw new TransactionCapacityExceededException(channel.label() + " a transaction may hold at most " + txCap
                    + " puts (transactionCapacity); this one would hold " + (puts.size() + n)
                    + ". Use a smaller batch or raise " + key + ".", key, txCap);
        }
        acquire(n);
        for (Event e : events) {
            encoder.put(txId, e);
            puts.add(e);
        }
    }

    private void acquire(int n) {
        int keepAlive = channel.config().keepAliveSeconds();
        boolean ok;
        try {
            ok = channel.room().tryAcquire(n, keepAlive, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelException(channel.label() + " interrupted while waiting for room in the channel", e);
        }
        if (!ok) {
            throw new ChannelFullException(channel.label() + " is full: capacity " + channel.config().capacity()
                    + " events, and no room for " + n + " more came within keep-alive " + keepAlive
                    + " s. The sender should retry later; raise capacity if this lasts.");
        }
        permits += n;
    }

    @Override
    public void mark(String owner, byte[] value) {
        requireNonNull(owner, "owner is null");
        requireNonNull(value, "marker is null");
        byte[] ownerBytes = owner.getBytes(StandardCharsets.UTF_8);
        if (ownerBytes.length == 0 || ownerBytes.length > MAX_OWNER_BYTES) {
            throw new IllegalArgumentException("marker owner: " + ownerBytes.length + " bytes (expected: 1 .. "
                    + MAX_OWNER_BYTES + ")");
        }
        if (value.length > MAX_MARKER_BYTES) {
            throw new IllegalArgumentException("marker: " + value.length + " bytes (expected: <= " + MAX_MARKER_BYTES
                    + ")");
        }
        if (state() != State.OPEN) {
            throw new IllegalStateException("mark() called when transaction is " + state());
        }
        markerOwner = owner;
        markerOwnerBytes = ownerBytes;
        marker = value;
    }

    @Override
    protected Event doTake() {
        List<Event> out = new ArrayList<>(1);
        doTakeBatch(1, out);
        return out.isEmpty() ? null : out.get(0);
    }

    @Override
    protected int doTakeBatch(int max, List<? super Event> out) {
        int txCap = channel.config().transactionCapacity();
        int room = txCap - takes.size();
        if (room <= 0) {
            throw new ChannelException(channel.label() + " a transaction may hold at most " + txCap + " takes"
                    + " (transactionCapacity); commit this one first or raise transactionCapacity.");
        }
        channel.counter().addTakeAttempts(1);
        try {
            int delivered = store.take(takes, Math.min(max, room), out);
            takesDelivered += delivered;
            return delivered;
        } catch (IOException e) {
            throw new ChannelException(channel.label() + " could not read an event back from its log: " + e.getMessage(),
                    e);
        }
    }

    /**
     * The log pointers of the events taken so far ({@code segment id << 32 | offset} of their PUT
     * record): unique for the channel's life, since segment ids only grow, and unchanged when a
     * rolled-back or crashed take hands the event out again.
     */
    @Override
    public long[] takenPositions() {
        if (takesDelivered != takes.size()) {
            return null;
        }
        return Arrays.copyOf(takes.pointers(), takes.size());
    }

    @Override
    protected void doCommit() {
        int nTakes = takes.size();
        int nPuts = puts.size();
        if (nPuts == 0 && nTakes == 0 && marker == null) {
            return;
        }
        long start = System.nanoTime();
        if (nPuts > 0) {
            channel.checkPutsAllowed(encoder.length());
        }
        int lengthBefore = encoder.length();
        encoder.take(txId, takes.pointers(), nTakes);
        if (marker != null) {
            encoder.mark(txId, markerOwnerBytes, marker);
        }
        CommitRequest req = new CommitRequest(txId, (int) (txId % store.dataDirCount()), encoder, puts, takes,
                markerOwner, marker);
        try {
            store.commit(req);
        } catch (IOException e) {
            encoder.truncateTo(lengthBefore);
            if (channel.lifecycleState() != Lifecycle.State.STARTED) {
                throw new ChannelException(channel.label() + " is " + channel.lifecycleState()
                        + "; the commit was not written and the transaction must be rolled back", e);
            }
            throw channel.writeFailed(e);
        }
        channel.room().release(nTakes);
        channel.counter().addPutSuccesses(nPuts);
        // Damaged events are in the take list (their TAKE record retires them) but were not delivered.
        channel.counter().addTakeSuccesses(takesDelivered);
        channel.counter().setSize(store.size());
        channel.counter().commitLatency(nPuts, nTakes, System.nanoTime() - start);
        if (nPuts > 0) {
            channel.firePutCommitted();
        }
        permits = 0;
        clearMarker();
        puts.clear();
        takes.clearCommitted();
        encoder.reset();
    }

    private void clearMarker() {
        markerOwner = null;
        markerOwnerBytes = null;
        marker = null;
    }

    @Override
    protected void doRollback() {
        clearMarker();
        if (permits > 0) {
            channel.room().release(permits);
            permits = 0;
        }
        puts.clear();
        encoder.reset();
        boolean gaveBack = store != null && takes.size() > 0;
        if (gaveBack) {
            store.giveBack(takes);
        }
        if (store != null) {
            channel.counter().setSize(store.size());
        }
        if (gaveBack) {
            channel.firePutCommitted();
        }
    }
}
