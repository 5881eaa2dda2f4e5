package io.sluice.channel.file.log;

import io.sluice.api.Event;
import java.util.List;

/**
 * One transaction handed to the {@link LogWriter}: its encoded PUT and TAKE records, the events
 * (for the read cache) and the pointers it took. The writer fills in {@link #commitSeq()} and the
 * put pointers, then completes it after the fsync that covers its COMMIT record.
 *
 * <p>Thread-safe hand-off: fields written by the transaction before {@link LogWriter#submit} are
 * read by the writer; results written by the writer are read after {@link #await()}.
 */
public final class CommitRequest {
    final long txId;
    final int dir;
    final byte[] records;
    final int length;
    final int[] putOffsets;
    final int putCount;
    final int takeCount;
    private final List<Event> events;
    private final TakeList takes;
    private final String markerOwner;
    private final byte[] marker;

    private long commitSeq;
    private long[] putPointers;
    private Throwable failure;
    private boolean done;

    /**
     * @param events the events put, in order; read by the writer until this request completes
     * @param takes the transaction's take list (its first {@link #takeCount()} pointers were taken)
     */
    public CommitRequest(long txId, int dir, RecordEncoder encoder, List<Event> events, TakeList takes) {
        this(txId, dir, encoder, events, takes, null, null);
    }

    /**
     * @param markerOwner the owner of the MARKER record {@code encoder} holds, null when none
     * @param marker that record's marker, null when none
     */
    public CommitRequest(long txId, int dir, RecordEncoder encoder, List<Event> events, TakeList takes,
            String markerOwner, byte[] marker) {
        this.markerOwner = markerOwner;
        this.marker = marker;
        this.txId = txId;
        this.dir = dir;
        this.records = encoder.buffer();
        this.length = encoder.length();
        this.putOffsets = encoder.putOffsets();
        this.putCount = encoder.putCount();
        this.takeCount = encoder.takeCount();
        this.events = events;
        this.takes = takes;
    }

    /** The transaction's take list, which the store forgets once this commit is applied. */
    public TakeList takeList() {
        return takes;
    }

    public long txId() {
        return txId;
    }

    /** The events put, in order (same length as {@link #putPointers()}). */
    public List<Event> events() {
        return events;
    }

    /** The owner of this transaction's marker, null when it carries none. */
    public String markerOwner() {
        return markerOwner;
    }

    public byte[] marker() {
        return marker;
    }

    public long[] putPointers() {
        return putPointers;
    }

    public int putCount() {
        return putCount;
    }

    /** The pointers taken (first {@link #takeCount()} entries are valid). */
    public long[] takes() {
        return takes.pointers;
    }

    public int takeCount() {
        return takeCount;
    }

    public long commitSeq() {
        return commitSeq;
    }

    void assign(long seq, long[] pointers) {
        this.commitSeq = seq;
        this.putPointers = pointers;
    }

    synchronized void complete(Throwable failure) {
        this.failure = failure;
        this.done = true;
        notifyAll();
    }

    /**
     * Waits until the writer has finished with this request. Returns null on success, or the
     * failure. Waits through interrupts (the commit may already be on disk) and restores the flag.
     */
    public synchronized Throwable await() {
        boolean interrupted = false;
        while (!done) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        return failure;
    }
}
