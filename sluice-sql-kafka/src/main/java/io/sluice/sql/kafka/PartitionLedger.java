package io.sluice.sql.kafka;

import java.util.Arrays;

/**
 * The records of one partition read but not yet known to be emitted: their offsets and event
 * times, in offset order. {@link #safeOffset} gives the offset to commit: the lowest offset still
 * held by a window not yet emitted, or the next offset to read when none is. A record is done when
 * its event time is before the flow's {@code heldFrom} (every window it touches was emitted, or it
 * was late or rejected); records behind the first one not done wait for it, since a committed
 * offset covers everything below it. Two longs per record held; not thread-safe (the reader's
 * thread owns it).
 */
final class PartitionLedger {
    private long[] offsets = new long[64];
    private long[] times = new long[64];
    private int head;
    private int size;
    private long next = -1;

    /** Notes a record delivered with event time {@code time} ({@link Long#MIN_VALUE} if rejected). */
    void add(long offset, long time) {
        if (size == offsets.length) {
            grow();
        }
        int i = (head + size) & (offsets.length - 1);
        offsets[i] = offset;
        times[i] = time;
        size++;
        next = offset + 1;
    }

    private void grow() {
        long[] o = new long[offsets.length * 2];
        long[] t = new long[times.length * 2];
        for (int k = 0; k < size; k++) {
            int i = (head + k) & (offsets.length - 1);
            o[k] = offsets[i];
            t[k] = times[i];
        }
        offsets = o;
        times = t;
        head = 0;
    }

    /** True once a record has been noted. */
    boolean hasRead() {
        return next >= 0;
    }

    /**
     * Drops the records at the front whose event time is before {@code heldFrom} and returns the
     * offset to commit: the first record still held, or the offset after the last one read.
     */
    long safeOffset(long heldFrom) {
        while (size > 0 && times[head] < heldFrom) {
            head = (head + 1) & (offsets.length - 1);
            size--;
        }
        return size > 0 ? offsets[head] : next;
    }

    /** Records noted and not yet released; for tests and logs. */
    int held() {
        return size;
    }

    @Override
    public String toString() {
        return "PartitionLedger[held=" + size + ", next=" + next + ", front="
                + (size > 0 ? Arrays.toString(new long[] {offsets[head], times[head]}) : "-") + "]";
    }
}
