package io.sluice.core.source.taildir;

import io.sluice.api.Event;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One file the source follows: its inode, its fingerprint, the committed position (what the
 * channels hold; the position file records it) and the read position (where the batch being put
 * ends). Lines are read through an open {@link FileChannel}, so a file renamed or deleted after it
 * was opened is still read to its end. Only complete lines (ending with {@code \n}) become events;
 * a trailing {@code \r} is dropped with the newline, as Apache Flume does.
 *
 * <p>Not thread-safe: used by the source's runner thread only.
 */
final class TailedFile implements AutoCloseable {
    private static final int FIRST_BUFFER = 64 * 1024;

    private final long inode;
    private final FileGroup group;
    private Path path;
    private Fingerprint fingerprint;
    private long committed;
    private long readPos;
    private FileChannel channel;
    private ByteBuffer buffer;
    /** File offset of {@code buffer}'s byte 0; the buffer holds bytes [bufferStart, bufferStart + limit). */
    private long bufferStart;
    private long lastGrowthMillis;
    /** Still among the group's matching files; a file renamed away is drained and then forgotten. */
    private boolean matched = true;
    /** A copy of another followed file (copytruncate): read only once that file is truncated. */
    private TailedFile copyOf;

    TailedFile(Path path, long inode, FileGroup group, long position, long nowMillis) {
        this.path = requireNonNull(path, "path is null");
        this.group = requireNonNull(group, "group is null");
        if (position < 0) {
            throw new IllegalArgumentException("position: " + position + " (expected: >= 0)");
        }
        this.inode = inode;
        this.committed = position;
        this.readPos = position;
        this.lastGrowthMillis = nowMillis;
    }

    long inode() {
        return inode;
    }

    FileGroup group() {
        return group;
    }

    Path path() {
        return path;
    }

    void path(Path newPath) {
        this.path = requireNonNull(newPath, "newPath is null");
    }

    /** Where the next read starts: the end of the lines read since the last commit. */
    long readPosition() {
        return readPos;
    }

    long committed() {
        return committed;
    }

    Fingerprint fingerprint() {
        return fingerprint;
    }

    void fingerprint(Fingerprint value) {
        this.fingerprint = value;
    }

    boolean matched() {
        return matched;
    }

    void matched(boolean value) {
        this.matched = value;
    }

    TailedFile copyOf() {
        return copyOf;
    }

    void copyOf(TailedFile original) {
        this.copyOf = original;
    }

    long lastGrowthMillis() {
        return lastGrowthMillis;
    }

    void grew(long nowMillis) {
        this.lastGrowthMillis = nowMillis;
    }

    boolean isOpen() {
        return channel != null;
    }

    /** Opens the file (when closed) and returns its channel. */
    FileChannel open() throws IOException {
        if (channel == null) {
            channel = FileChannel.open(path, StandardOpenOption.READ);
        }
        return channel;
    }

    /** The size of the open file, or of the file at {@link #path()} when closed. */
    long size() throws IOException {
        return open().size();
    }

    /** Whether the file has bytes after the read position. */
    boolean hasMore() throws IOException {
        return size() > readPos;
    }

    /** Moves both positions (after a truncation or when a copy takes over a position). */
    void resetTo(long position) {
        committed = position;
        readPos = position;
        buffer = null;
    }

    /**
     * Reads up to {@code max} complete lines after the read position into {@code out}, with
     * {@code headers} plus, when asked, the absolute path and the line's byte offset.
     *
     * @return how many events were added
     */
    int read(int max, List<Event> out, String fileHeaderKey, boolean byteOffsetHeader) throws IOException {
        FileChannel ch = open();
        int added = 0;
        while (added < max) {
            if (buffer == null) {
                buffer = ByteBuffer.allocate(FIRST_BUFFER);
                buffer.limit(0);
                bufferStart = readPos;
            }
            int from = (int) (readPos - bufferStart);
            int nl = indexOfNewline(buffer, from);
            if (nl < 0) {
                if (!fill(ch)) {
                    break;
                }
                continue;
            }
            int end = nl > from && buffer.get(nl - 1) == '\r' ? nl - 1 : nl;
            byte[] body = new byte[end - from];
            // System.arraycopy is an intrinsic; ByteBuffer's bulk get takes a slower generic copy for short lines
            System.arraycopy(buffer.array(), from, body, 0, body.length);
            out.add(Event.wrap(headers(fileHeaderKey, byteOffsetHeader, readPos), body));
            readPos = bufferStart + nl + 1;
            added++;
        }
        return added;
    }

    private Map<String, String> headers(String fileHeaderKey, boolean byteOffsetHeader, long offset) {
        if (fileHeaderKey == null && !byteOffsetHeader) {
            return group.headers();
        }
        Map<String, String> h = new HashMap<>(group.headers());
        if (fileHeaderKey != null) {
            h.put(fileHeaderKey, path.toAbsolutePath().toString());
        }
        if (byteOffsetHeader) {
            h.put(TaildirSourceFactory.BYTE_OFFSET_HEADER_KEY, Long.toString(offset));
        }
        return h;
    }

    private static int indexOfNewline(ByteBuffer b, int from) {
        int limit = b.limit();
        byte[] a = b.array();
        for (int i = from; i < limit; i++) {
            if (a[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * Moves the unread bytes to the buffer's start (growing it when a line fills it) and reads
     * more of the file. Returns false at the end of the file.
     */
    private boolean fill(FileChannel ch) throws IOException {
        int from = (int) (readPos - bufferStart);
        int unread = buffer.limit() - from;
        ByteBuffer target = buffer;
        if (unread == buffer.capacity()) {
            target = ByteBuffer.allocate(buffer.capacity() * 2);
        }
        System.arraycopy(buffer.array(), from, target.array(), 0, unread);
        target.position(unread).limit(target.capacity());
        bufferStart = readPos;
        int n = ch.read(target, bufferStart + unread);
        target.flip();
        buffer = target;
        return n > 0;
    }

    /** The lines read since the last commit are in the channels: their end is now committed. */
    void commit() {
        committed = readPos;
    }

    /** The channels refused the batch: read it again next time. */
    void rollback() {
        readPos = committed;
        buffer = null;
    }

    @Override
    public void close() throws IOException {
        buffer = null;
        if (channel != null) {
            try {
                channel.close();
            } finally {
                channel = null;
            }
        }
    }

    /** Whether {@code e} says the file is gone. */
    static boolean gone(IOException e) {
        return e instanceof NoSuchFileException;
    }

    @Override
    public String toString() {
        return path + " (inode " + inode + ", position " + committed + ")";
    }
}
