package io.sluice.channel.file.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * A segment open for appending: created with its header (see {@link LogFormat}), written only by
 * the log writer thread. {@link #size()} is the number of bytes written so far.
 *
 * <p>Not thread-safe: confined to the writer thread.
 */
public final class SegmentFile implements AutoCloseable {
    private final int id;
    private final Path path;
    private final FileChannel channel;
    /** Zeros written ahead of the data, so an fsync need not also update the file's size. */
    private static final int PREALLOCATE = 4 * 1024 * 1024;
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1024 * 1024);

    private long size;
    private long allocated;
    private boolean preallocate = true;
    private final long preallocateLimit;

    private SegmentFile(int id, Path path, FileChannel channel, long size, long preallocateLimit) {
        this.id = id;
        this.path = path;
        this.channel = channel;
        this.size = size;
        this.allocated = size;
        this.preallocateLimit = preallocateLimit;
    }

    /**
     * Creates {@code dir/segment-<id>.log} with its header, fsyncs it and the directory. Zeros are
     * written ahead of the data in 4 MB steps up to {@code preallocateLimit} bytes; readers treat a
     * zero length field as the end of the log and {@link #close()} cuts the zeros off.
     */
    public static SegmentFile create(Path dir, int id, long nowMillis, long preallocateLimit) throws IOException {
        Path path = dir.resolve(LogFormat.segmentFileName(id));
        FileChannel ch = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        try {
            byte[] h = new byte[LogFormat.SEGMENT_HEADER_SIZE];
            RecordEncoder.putInt(h, 0, LogFormat.SEGMENT_MAGIC);
            RecordEncoder.putInt(h, 4, LogFormat.VERSION);
            RecordEncoder.putLong(h, 8, id);
            RecordEncoder.putLong(h, 16, nowMillis);
            CRC32C crc = new CRC32C();
            crc.update(h, 0, 24);
            RecordEncoder.putInt(h, 24, (int) crc.getValue());
            ByteBuffer bb = ByteBuffer.wrap(h);
            while (bb.hasRemaining()) {
                ch.write(bb, bb.position());
            }
            ch.force(true);
            Fsync.directory(dir);
        } catch (IOException | RuntimeException e) {
            ch.close();
            throw e;
        }
        return new SegmentFile(id, path, ch, LogFormat.SEGMENT_HEADER_SIZE, preallocateLimit);
    }

    public int id() {
        return id;
    }

    public Path path() {
        return path;
    }

    public long size() {
        return size;
    }

    /** Writes all of {@code src} at the end of the file. */
    public void append(ByteBuffer src) throws IOException {
        if (size + src.remaining() > allocated && allocated < preallocateLimit && preallocate) {
            long target = Math.min(preallocateLimit, Math.max(allocated + PREALLOCATE, size + src.remaining()));
            ByteBuffer z = ZEROS.duplicate();
            try {
                while (allocated < target) {
                    z.clear();
                    z.limit((int) Math.min(z.capacity(), target - allocated));
                    allocated += channel.write(z, allocated);
                }
            } catch (IOException e) {
                // a nearly full disk: give up preallocating this segment and write the data alone
                preallocate = false;
                try {
                    channel.truncate(size);
                } catch (IOException ignored) {
                    // the data write below reports the real problem
                }
                allocated = size;
            }
        }
        while (src.hasRemaining()) {
            size += channel.write(src, size);
        }
    }

    /** fdatasync: the data, and the file size, reach the disk. */
    public void sync() throws IOException {
        channel.force(false);
    }

    /** Cuts the file back to {@code newSize} after a failed write, and syncs it. */
    public void truncate(long newSize) throws IOException {
        channel.truncate(newSize);
        channel.force(true);
        size = newSize;
        allocated = newSize;
    }

    /** Cuts off the preallocated zeros (and syncs), then closes. */
    @Override
    public void close() throws IOException {
        try {
            if (channel.isOpen() && allocated > size) {
                channel.truncate(size);
                channel.force(true);
            }
        } finally {
            channel.close();
        }
    }
}
