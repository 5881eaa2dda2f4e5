package io.sluice.core.source.taildir;

import io.sluice.api.Event;
import io.sluice.core.source.support.ByteScan;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

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
    private final long inode;
    private final FileGroup group;
    private Path path;
    private Fingerprint fingerprint;
    private long committed;
    private long readPos;
    private FileChannel channel;
    /** The buffer this file last read through; it still holds this file's bytes while its owner is this file. */
    private ReadBuffer lent;
    /**
     * The headers every line of this file gets (the group's, plus the file header when asked for),
     * built once with {@code Map.copyOf} so that all events share it; null until asked for or after
     * the file was renamed.
     */
    private Map<String, String> lineHeaders;
    /** The key {@link #lineHeaders} was built with. */
    private String lineHeadersKey;
    /** {@link #lineHeaders} without the byte offset header, for events that add their own offset. */
    private Map.Entry<String, String>[] offsetBase;
    private long lastGrowthMillis;
    /** Still among the group's matching files; a file renamed away is drained and then forgotten. */
    private boolean matched = true;
    /** A copy of another followed file (copytruncate): read only once that file is truncated. */
    private TailedFile copyOf;
    /**
     * While the file was seen empty with nothing read of it: the inodes of its directory's files at
     * the last look that saw it so (a copy of content written after that look has none of them).
     */
    private Set<Long> seenEmptyAmong;

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
        this.lineHeaders = null;
        this.offsetBase = null;
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

    Set<Long> seenEmptyAmong() {
        return seenEmptyAmong;
    }

    void seenEmptyAmong(Set<Long> inodes) {
        this.seenEmptyAmong = inodes;
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
        forgetBuffered();
    }

    /**
     * Reads up to {@code max} complete lines after the read position into {@code out}, with
     * {@code headers} plus, when asked, the absolute path and the line's byte offset. The bytes are
     * read through {@code buffer}, which this file borrows until another file reads through it; each
     * line's body is its own copy, so nothing an event holds changes when the buffer is reused.
     *
     * @return how many events were added
     */
    int read(int max, List<Event> out, String fileHeaderKey, boolean byteOffsetHeader, ReadBuffer buffer)
            throws IOException {
        FileChannel ch = open();
        if (buffer.owner != this) {
            buffer.lend(this, readPos);
        }
        lent = buffer;
        byte[] a = buffer.bytes;
        int from = (int) (readPos - buffer.start);
        // where the search for the next newline goes on: bytes before it are known to hold none
        int scanned = from;
        // without the offset every line of the file has the same headers: one immutable map all its events share
        Map<String, String> same = byteOffsetHeader ? null : lineHeaders(fileHeaderKey);
        int added = 0;
        while (added < max) {
            int nl = ByteScan.indexOf(a, scanned, buffer.limit, (byte) '\n');
            if (nl < 0) {
                int carried = buffer.limit - from;
                if (!fill(ch, buffer, from)) {
                    break;
                }
                a = buffer.bytes;
                from = 0;
                scanned = carried;
                continue;
            }
            int end = nl > from && a[nl - 1] == '\r' ? nl - 1 : nl;
            byte[] body = new byte[end - from];
            // System.arraycopy is an intrinsic; ByteBuffer's bulk get takes a slower generic copy for short lines
            System.arraycopy(a, from, body, 0, body.length);
            out.add(Event.wrap(same != null ? same : withOffset(fileHeaderKey, readPos), body));
            from = nl + 1;
            scanned = from;
            readPos = buffer.start + from;
            added++;
        }
        return added;
    }

    /** The group's headers plus, with a key, the file's absolute path under it: built once per file and key. */
    private Map<String, String> lineHeaders(String fileHeaderKey) {
        if (lineHeaders == null || !Objects.equals(lineHeadersKey, fileHeaderKey)) {
            if (fileHeaderKey == null) {
                lineHeaders = group.headers();
            } else {
                Map<String, String> h = new LinkedHashMap<>(group.headers());
                h.put(fileHeaderKey, path.toAbsolutePath().toString());
                lineHeaders = Map.copyOf(h);
            }
            lineHeadersKey = fileHeaderKey;
            offsetBase = null;
        }
        return lineHeaders;
    }

    /** The line headers plus the line's byte offset: one immutable map per event, built without an interim copy. */
    @SuppressWarnings("unchecked")
    private Map<String, String> withOffset(String fileHeaderKey, long offset) {
        Map<String, String> base = lineHeaders(fileHeaderKey);
        String value = Long.toString(offset);
        if (base.isEmpty()) {
            return Map.of(TaildirSourceFactory.BYTE_OFFSET_HEADER_KEY, value);
        }
        if (offsetBase == null) {
            Map<String, String> without = new LinkedHashMap<>(base);
            without.remove(TaildirSourceFactory.BYTE_OFFSET_HEADER_KEY);
            offsetBase = without.entrySet().stream().map(e -> Map.entry(e.getKey(), e.getValue()))
                    .toArray(Map.Entry[]::new);
        }
        Map.Entry<String, String>[] all = Arrays.copyOf(offsetBase, offsetBase.length + 1);
        all[offsetBase.length] = Map.entry(TaildirSourceFactory.BYTE_OFFSET_HEADER_KEY, value);
        return Map.ofEntries(all);
    }

    /**
     * Moves the bytes from {@code from} on (the start of an incomplete line) to the buffer's start,
     * growing the buffer when that line fills it and shrinking it back once a long line is done, and
     * reads more of the file after them. Returns false at the end of the file.
     */
    private boolean fill(FileChannel ch, ReadBuffer buffer, int from) throws IOException {
        int unread = buffer.limit - from;
        byte[] target = buffer.bytes;
        if (unread == target.length) {
            target = new byte[Math.multiplyExact(target.length, 2)];
        } else if (target.length > buffer.capacity && unread < buffer.capacity / 2) {
            target = new byte[buffer.capacity];
        }
        System.arraycopy(buffer.bytes, from, target, 0, unread);
        buffer.bytes = target;
        buffer.start += from;
        buffer.limit = unread;
        ByteBuffer view = ByteBuffer.wrap(target, unread, target.length - unread);
        int n = ch.read(view, buffer.start + unread);
        if (n <= 0) {
            return false;
        }
        buffer.limit = unread + n;
        return true;
    }

    /** The lines read since the last commit are in the channels: their end is now committed. */
    void commit() {
        committed = readPos;
    }

    /** The channels refused the batch: read it again next time. */
    void rollback() {
        readPos = committed;
        forgetBuffered();
    }

    @Override
    public void close() throws IOException {
        forgetBuffered();
        if (channel != null) {
            try {
                channel.close();
            } finally {
                channel = null;
            }
        }
    }

    /** The buffered bytes after the read position are not to be used: the next read reads the file again. */
    private void forgetBuffered() {
        if (lent != null && lent.owner == this) {
            lent.owner = null;
        }
        lent = null;
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
