package io.sluice.channel.file.log;

import io.sluice.api.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * Reads single PUT records of one segment by offset, through a read-ahead window so that takes in
 * log order cost one read per window rather than one per event. Every record read is checked
 * against its CRC32C.
 *
 * <p>Thread-safe: {@link #read} is synchronized on this reader (the window is shared).
 */
public final class SegmentReader implements AutoCloseable {
    private static final int WINDOW = 512 * 1024;

    private final int segmentId;
    private final Path path;
    private final FileChannel channel;
    private final CRC32C crc = new CRC32C();
    private byte[] window = new byte[WINDOW];
    private long windowStart = -1;
    private int windowLen;

    public SegmentReader(int segmentId, Path path) throws IOException {
        this.segmentId = segmentId;
        this.path = path;
        this.channel = FileChannel.open(path, StandardOpenOption.READ);
    }

    public int segmentId() {
        return segmentId;
    }

    public Path path() {
        return path;
    }

    /** Reads the event of the PUT record at {@code offset}; throws {@link CorruptRecordException} if damaged. */
    public synchronized Event read(long offset) throws IOException {
        try {
            return readOnce(offset);
        } catch (CorruptRecordException e) {
            // the window may hold bytes read before the writer filled them in: read again from disk
            windowStart = -1;
            return readOnce(offset);
        }
    }

    private Event readOnce(long offset) throws IOException {
        int at = ensure(offset, LogFormat.RECORD_PREFIX);
        int length = RecordEncoder.getInt(window, at);
        int stored = RecordEncoder.getInt(window, at + 4);
        if (length < LogFormat.RECORD_HEADER || length > LogFormat.MAX_RECORD_LENGTH) {
            throw new CorruptRecordException(path + " offset " + offset + ": record length " + length
                    + " is out of range");
        }
        at = ensure(offset, LogFormat.RECORD_PREFIX + length);
        int body = at + LogFormat.RECORD_PREFIX;
        crc.reset();
        crc.update(window, body, length);
        int computed = (int) crc.getValue();
        if (computed != stored) {
            throw new CorruptRecordException(String.format("%s offset %d: checksum mismatch: stored 0x%08X, "
                    + "computed 0x%08X", path, offset, stored, computed));
        }
        if (window[body] != LogFormat.PUT) {
            throw new CorruptRecordException(path + " offset " + offset + ": expected a PUT record, found "
                    + LogFormat.typeName(window[body]));
        }
        try {
            return RecordDecoder.decodePut(window, body + LogFormat.RECORD_HEADER, length - LogFormat.RECORD_HEADER);
        } catch (IllegalArgumentException e) {
            throw new CorruptRecordException(path + " offset " + offset + ": " + e.getMessage());
        }
    }

    /** The total size on disk (prefix included) of the record at {@code offset}, without checking it. */
    public synchronized int recordSize(long offset) throws IOException {
        int at = ensure(offset, LogFormat.RECORD_PREFIX);
        return LogFormat.RECORD_PREFIX + RecordEncoder.getInt(window, at);
    }

    private int ensure(long offset, int n) throws IOException {
        if (windowStart >= 0 && offset >= windowStart && offset + n <= windowStart + windowLen) {
            return (int) (offset - windowStart);
        }
        if (n > window.length) {
            window = new byte[n];
        }
        ByteBuffer bb = ByteBuffer.wrap(window);
        long p = offset;
        while (bb.hasRemaining()) {
            int r = channel.read(bb, p);
            if (r < 0) {
                break;
            }
            p += r;
        }
        windowStart = offset;
        windowLen = bb.position();
        if (windowLen < n) {
            windowStart = -1;
            throw new CorruptRecordException(path + " offset " + offset + ": file ends after " + windowLen
                    + " bytes, inside a record of " + n + " bytes");
        }
        return 0;
    }

    @Override
    public synchronized void close() throws IOException {
        channel.close();
    }
}
