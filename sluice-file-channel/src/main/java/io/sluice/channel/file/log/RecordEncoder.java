package io.sluice.channel.file.log;

import io.sluice.api.Event;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * Encodes the records of one transaction into a growable byte array, in the layout documented in
 * {@link LogFormat}. The offsets of PUT records are remembered so the writer can turn them into
 * pointers once it knows where the transaction lands.
 *
 * <p>Not thread-safe: owned by one transaction.
 */
public final class RecordEncoder {
    private final CRC32C crc = new CRC32C();
    private byte[] buf;
    private int len;
    private int[] putOffsets = new int[16];
    private int putCount;
    private int takeCount;

    public RecordEncoder(int initialCapacity) {
        buf = new byte[Math.max(64, initialCapacity)];
    }

    public void reset() {
        len = 0;
        putCount = 0;
        takeCount = 0;
        if (buf.length > 4 * 1024 * 1024) {
            buf = new byte[64 * 1024];
        }
    }

    /** Appends a PUT record for {@code event} and returns its encoded size. */
    public int put(long txId, Event event) {
        Map<String, String> headers = event.headers();
        int start = len;
        int estimate = LogFormat.RECORD_PREFIX + LogFormat.RECORD_HEADER + 8 + event.bodyLength();
        byte[][] hb = null;
        if (!headers.isEmpty()) {
            hb = new byte[headers.size() * 2][];
            int i = 0;
            for (Map.Entry<String, String> h : headers.entrySet()) {
                hb[i] = h.getKey().getBytes(StandardCharsets.UTF_8);
                hb[i + 1] = h.getValue().getBytes(StandardCharsets.UTF_8);
                estimate += 8 + hb[i].length + hb[i + 1].length;
                i += 2;
            }
        }
        ensure(estimate);
        len += LogFormat.RECORD_PREFIX;
        buf[len++] = LogFormat.PUT;
        writeLong(txId);
        writeInt(hb == null ? 0 : hb.length / 2);
        if (hb != null) {
            for (byte[] b : hb) {
                writeInt(b.length);
                System.arraycopy(b, 0, buf, len, b.length);
                len += b.length;
            }
        }
        writeInt(event.bodyLength());
        event.copyBodyTo(buf, len);
        len += event.bodyLength();
        finish(start);
        if (putCount == putOffsets.length) {
            putOffsets = Arrays.copyOf(putOffsets, putCount * 2);
        }
        putOffsets[putCount++] = start;
        return len - start;
    }

    /** Drops everything after {@code length} (the TAKE record added by a commit that failed). */
    public void truncateTo(int length) {
        len = length;
        takeCount = 0;
    }

    /** Appends one TAKE record for {@code count} pointers. */
    public void take(long txId, long[] pointers, int count) {
        if (count == 0) {
            return;
        }
        int start = len;
        ensure(LogFormat.RECORD_PREFIX + LogFormat.RECORD_HEADER + 4 + 8 * count);
        len += LogFormat.RECORD_PREFIX;
        buf[len++] = LogFormat.TAKE;
        writeLong(txId);
        writeInt(count);
        for (int i = 0; i < count; i++) {
            writeLong(pointers[i]);
        }
        finish(start);
        takeCount += count;
    }

    /**
     * Appends a MARKER record: {@code owner}'s marker, which takes effect with this transaction's
     * COMMIT record.
     */
    public void mark(long txId, byte[] owner, byte[] marker) {
        int start = len;
        ensure(LogFormat.RECORD_PREFIX + LogFormat.RECORD_HEADER + 6 + owner.length + marker.length);
        len += LogFormat.RECORD_PREFIX;
        buf[len++] = LogFormat.MARKER;
        writeLong(txId);
        buf[len++] = (byte) (owner.length >>> 8);
        buf[len++] = (byte) owner.length;
        System.arraycopy(owner, 0, buf, len, owner.length);
        len += owner.length;
        writeInt(marker.length);
        System.arraycopy(marker, 0, buf, len, marker.length);
        len += marker.length;
        finish(start);
    }

    /** Encodes a COMMIT record into {@code dest} at {@code at}; used by the writer. */
    public static void commit(CRC32C crc, byte[] dest, int at, long txId, long commitSeq, int puts, int takes) {
        int p = at + LogFormat.RECORD_PREFIX;
        dest[p++] = LogFormat.COMMIT;
        p = putLong(dest, p, txId);
        p = putLong(dest, p, commitSeq);
        p = putInt(dest, p, puts);
        putInt(dest, p, takes);
        int length = LogFormat.COMMIT_RECORD_SIZE - LogFormat.RECORD_PREFIX;
        putInt(dest, at, length);
        crc.reset();
        crc.update(dest, at + LogFormat.RECORD_PREFIX, length);
        putInt(dest, at + 4, (int) crc.getValue());
    }

    public byte[] buffer() {
        return buf;
    }

    public int length() {
        return len;
    }

    public int putCount() {
        return putCount;
    }

    public int takeCount() {
        return takeCount;
    }

    public int[] putOffsets() {
        return putOffsets;
    }

    private void finish(int start) {
        int length = len - start - LogFormat.RECORD_PREFIX;
        putInt(buf, start, length);
        crc.reset();
        crc.update(buf, start + LogFormat.RECORD_PREFIX, length);
        putInt(buf, start + 4, (int) crc.getValue());
    }

    private void ensure(int extra) {
        if (len + extra > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, len + extra));
        }
    }

    private void writeInt(int v) {
        len = putInt(buf, len, v);
    }

    private void writeLong(long v) {
        len = putLong(buf, len, v);
    }

    static int putInt(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 24);
        b[p + 1] = (byte) (v >>> 16);
        b[p + 2] = (byte) (v >>> 8);
        b[p + 3] = (byte) v;
        return p + 4;
    }

    static int putLong(byte[] b, int p, long v) {
        putInt(b, p, (int) (v >>> 32));
        putInt(b, p + 4, (int) v);
        return p + 8;
    }

    static int getInt(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }

    static long getLong(byte[] b, int p) {
        return ((long) getInt(b, p) << 32) | (getInt(b, p + 4) & 0xFFFFFFFFL);
    }
}
