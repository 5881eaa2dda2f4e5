package io.sluice.channel.file.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.zip.CRC32C;

/**
 * Reads one segment file front to back, record by record, through a large buffer. Opens the file
 * read-only and never changes it. After {@link #next()} returns {@link Status#RECORD}, the fields
 * {@link #offset()}, {@link #type()}, {@link #txId()} and the payload accessors describe the record.
 *
 * <p>Not thread-safe.
 */
public final class SegmentScanner implements AutoCloseable {

    /**
     * What {@link #next()} found. {@code CORRUPT}: a record whose checksum does not match but whose
     * length frames it, and the bytes after it are a valid record or the end of the log; the
     * scanner has moved past it and its type and transaction are unknown. {@code BAD}: the log
     * cannot be read past this point (torn, or the framing itself is damaged).
     */
    public enum Status { RECORD, END, BAD, CORRUPT }

    private final Path path;
    private final FileChannel channel;
    private final long fileSize;
    private final boolean verify;
    private final CRC32C crc = new CRC32C();
    private byte[] buf = new byte[1 << 20];
    private long bufStart;
    private int bufLen;
    private long pos;

    private int segmentId = -1;
    private int version;
    private long offset;
    private byte type;
    private long txId;
    private int payloadAt;
    private int payloadLength;
    private String problem;
    private long zeroTail;
    private int corruptLength;

    /** @param verify whether to check every record's checksum (length and type are always checked) */
    public SegmentScanner(Path path, boolean verify) throws IOException {
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
        this.fileSize = channel.size();
        this.verify = verify;
    }

    public Path path() {
        return path;
    }

    public long fileSize() {
        return fileSize;
    }

    /**
     * Reads and checks the header. Returns false (with {@link #problem()}) when the file is too
     * short or the header is not a version-1 segment header.
     */
    public boolean readHeader() throws IOException {
        if (fileSize < LogFormat.SEGMENT_HEADER_SIZE) {
            problem = "file is " + fileSize + " bytes, shorter than the " + LogFormat.SEGMENT_HEADER_SIZE
                    + "-byte segment header";
            return false;
        }
        fill(0, LogFormat.SEGMENT_HEADER_SIZE);
        int magic = RecordEncoder.getInt(buf, 0);
        version = RecordEncoder.getInt(buf, 4);
        if (magic != LogFormat.SEGMENT_MAGIC) {
            problem = String.format("bad magic 0x%08X (expected 0x%08X): not a Sluice segment file", magic,
                    LogFormat.SEGMENT_MAGIC);
            return false;
        }
        crc.reset();
        crc.update(buf, 0, 24);
        int stored = RecordEncoder.getInt(buf, 24);
        if (stored != (int) crc.getValue()) {
            problem = String.format("header checksum mismatch: stored 0x%08X, computed 0x%08X", stored,
                    (int) crc.getValue());
            return false;
        }
        if (!LogFormat.readable(version)) {
            problem = "format version " + version + " is not supported (this Sluice reads versions "
                    + LogFormat.OLDEST_READABLE_VERSION + " to " + LogFormat.VERSION + ")";
            return false;
        }
        segmentId = (int) RecordEncoder.getLong(buf, 8);
        pos = LogFormat.SEGMENT_HEADER_SIZE;
        return true;
    }

    /** Continues reading at {@code position} (after {@link #readHeader()}). */
    public void seek(long position) {
        this.pos = position;
    }

    public Status next() throws IOException {
        offset = pos;
        long remaining = fileSize - pos;
        if (remaining == 0) {
            return Status.END;
        }
        if (remaining >= LogFormat.RECORD_PREFIX) {
            int at = fill(pos, LogFormat.RECORD_PREFIX);
            if (RecordEncoder.getInt(buf, at) == 0 && RecordEncoder.getInt(buf, at + 4) == 0) {
                // preallocated space: the log ends here
                zeroTail = remaining;
                return Status.END;
            }
        }
        if (remaining < LogFormat.RECORD_PREFIX + LogFormat.RECORD_HEADER) {
            problem = "torn record: only " + remaining + " bytes left, less than a record header";
            return Status.BAD;
        }
        int at = fill(pos, LogFormat.RECORD_PREFIX);
        int length = RecordEncoder.getInt(buf, at);
        int stored = RecordEncoder.getInt(buf, at + 4);
        if (length < LogFormat.RECORD_HEADER || length > LogFormat.MAX_RECORD_LENGTH) {
            problem = "record length " + length + " is out of range (" + LogFormat.RECORD_HEADER + ".."
                    + LogFormat.MAX_RECORD_LENGTH + ")";
            return Status.BAD;
        }
        if (length > remaining - LogFormat.RECORD_PREFIX) {
            problem = "torn record: length " + length + " runs past the end of the file ("
                    + (remaining - LogFormat.RECORD_PREFIX) + " bytes left)";
            return Status.BAD;
        }
        at = fill(pos, LogFormat.RECORD_PREFIX + length);
        int body = at + LogFormat.RECORD_PREFIX;
        if (verify) {
            crc.reset();
            crc.update(buf, body, length);
            int computed = (int) crc.getValue();
            if (computed != stored) {
                problem = String.format("checksum mismatch: stored 0x%08X, computed 0x%08X", stored, computed);
                long next = pos + LogFormat.RECORD_PREFIX + length;
                if (framingHoldsAt(next)) {
                    corruptLength = LogFormat.RECORD_PREFIX + length;
                    pos = next;
                    return Status.CORRUPT;
                }
                return Status.BAD;
            }
        }
        type = buf[body];
        if (!LogFormat.knownType(type)) {
            problem = "unknown record type " + type;
            return Status.BAD;
        }
        txId = RecordEncoder.getLong(buf, body + 1);
        payloadAt = body + LogFormat.RECORD_HEADER;
        payloadLength = length - LogFormat.RECORD_HEADER;
        pos += LogFormat.RECORD_PREFIX + length;
        return Status.RECORD;
    }

    /**
     * Whether the log is well framed at {@code position}: it ends there (file end or preallocated
     * zeros) or a record starts there whose length is in range and whose checksum matches.
     */
    private boolean framingHoldsAt(long position) throws IOException {
        long remaining = fileSize - position;
        if (remaining == 0) {
            return true;
        }
        if (remaining >= LogFormat.RECORD_PREFIX) {
            int at = fill(position, LogFormat.RECORD_PREFIX);
            if (RecordEncoder.getInt(buf, at) == 0 && RecordEncoder.getInt(buf, at + 4) == 0) {
                return true;
            }
        }
        if (remaining < LogFormat.RECORD_PREFIX + LogFormat.RECORD_HEADER) {
            return false;
        }
        int at = fill(position, LogFormat.RECORD_PREFIX);
        int length = RecordEncoder.getInt(buf, at);
        int stored = RecordEncoder.getInt(buf, at + 4);
        if (length < LogFormat.RECORD_HEADER || length > LogFormat.MAX_RECORD_LENGTH
                || length > remaining - LogFormat.RECORD_PREFIX) {
            return false;
        }
        at = fill(position, LogFormat.RECORD_PREFIX + length);
        crc.reset();
        crc.update(buf, at + LogFormat.RECORD_PREFIX, length);
        byte t = buf[at + LogFormat.RECORD_PREFIX];
        return (int) crc.getValue() == stored && LogFormat.knownType(t);
    }

    /** After {@link Status#CORRUPT}: how many bytes the skipped record occupies, prefix included. */
    public int corruptLength() {
        return corruptLength;
    }

    /** Makes {@code [position, position+n)} available in {@link #buf} and returns its index there. */
    private int fill(long position, int n) throws IOException {
        if (position >= bufStart && position + n <= bufStart + bufLen) {
            return (int) (position - bufStart);
        }
        if (n > buf.length) {
            buf = new byte[Math.max(n, buf.length * 2)];
        }
        ByteBuffer bb = ByteBuffer.wrap(buf);
        long limit = Math.min(fileSize - position, buf.length);
        bb.limit((int) limit);
        long p = position;
        while (bb.hasRemaining()) {
            int r = channel.read(bb, p);
            if (r < 0) {
                break;
            }
            p += r;
        }
        bufStart = position;
        bufLen = bb.position();
        if (bufLen < n) {
            throw new IOException(path + ": short read at offset " + position + " (" + bufLen + " of " + n + " bytes)");
        }
        return 0;
    }

    public int segmentId() {
        return segmentId;
    }

    public int version() {
        return version;
    }

    /** Where the last record (or the bad data) starts; after END, the end of the readable data. */
    public long offset() {
        return offset;
    }

    public byte type() {
        return type;
    }

    public long txId() {
        return txId;
    }

    /** After END: how many bytes of preallocated zeros follow the last record (0 if none). */
    public long zeroTail() {
        return zeroTail;
    }

    public String problem() {
        return problem;
    }

    public int payloadLength() {
        return payloadLength;
    }

    public int payloadInt(int index) {
        return RecordEncoder.getInt(buf, payloadAt + index);
    }

    public long payloadLong(int index) {
        return RecordEncoder.getLong(buf, payloadAt + index);
    }

    public short payloadShort(int index) {
        return (short) (((buf[payloadAt + index] & 0xFF) << 8) | (buf[payloadAt + index + 1] & 0xFF));
    }

    /** A copy of {@code length} payload bytes from {@code index}. */
    public byte[] payloadBytes(int index, int length) {
        return Arrays.copyOfRange(buf, payloadAt + index, payloadAt + index + length);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
