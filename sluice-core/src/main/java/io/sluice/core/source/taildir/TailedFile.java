package io.sluice.core.source.taildir;

import io.sluice.api.Event;
import io.sluice.core.source.support.ByteScan;
import io.sluice.core.source.support.RejectedInput;
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
    /** Written by the thread reading the file, read by another reader recording every position. */
    private volatile long committed;
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
     * While the file was seen empty with nothing read of it: its directory's files at the first look
     * that saw it so, by inode, each with the fingerprint of its first bytes then (null when it was
     * empty or is not named as a rotation of this file). A copy of content written after that look
     * is a file not among them, or one whose inode now holds other first bytes.
     */
    private Map<Long, Fingerprint> seenEmptyAmong;
    /** A line over the limit whose start is kept for the dead-letter channel and whose end is still to come. */
    private Skip skipping;
    /** The last event read was a piece of a line cut at the limit (so the next piece is not counted again). */
    private boolean cut;

    /**
     * A line over the limit being skipped: where it starts (the read position stays there), its
     * first {@code maxLineLength} bytes and headers for the letter, and how far it was read.
     */
    private static final class Skip {
        final long lineStart;
        final byte[] start;
        final Map<String, String> headers;
        long scannedTo;

        Skip(long lineStart, byte[] start, Map<String, String> headers, long scannedTo) {
            this.lineStart = lineStart;
            this.start = start;
            this.headers = headers;
            this.scannedTo = scannedTo;
        }
    }

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

    Map<Long, Fingerprint> seenEmptyAmong() {
        return seenEmptyAmong;
    }

    void seenEmptyAmong(Map<Long, Fingerprint> files) {
        this.seenEmptyAmong = files;
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
        skipping = null;
        cut = false;
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
        return read(max, out, fileHeaderKey, byteOffsetHeader, buffer, LineLimit.unlimited());
    }

    /**
     * Reads as {@link #read(int, List, String, boolean, ReadBuffer)} does, with lines longer than
     * {@code limit}'s {@code maxLineLength} cut into events of that length, or (when it keeps
     * letters) set aside as a letter in {@code limit}: a line's start, with the rest of the line
     * skipped. A letter counts as one of the {@code max} lines, and its whole line is passed (the
     * read position moves after its newline) only once that newline was read: while its end has not
     * been written yet, the read position stays at the line's start, so a restart reads it again
     * and nothing of it is delivered in pieces.
     *
     * @return how many lines were read: the events added plus the letters added
     */
    int read(int max, List<Event> out, String fileHeaderKey, boolean byteOffsetHeader, ReadBuffer buffer,
            LineLimit limit) throws IOException {
        FileChannel ch = open();
        int added = 0;
        if (skipping != null) {
            if (!skipToLineEnd(ch, buffer, limit)) {
                return 0;
            }
            added++;
        }
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
        int maxLine = limit.maxLineLength();
        while (added < max) {
            int nl = ByteScan.indexOf(a, scanned, buffer.limit, (byte) '\n');
            if (nl < 0) {
                int carried = buffer.limit - from;
                if (carried > maxLine && (carried > maxLine + 1 || a[buffer.limit - 1] != '\r')) {
                    // longer than the limit, with its end still to come
                    if (!limit.keepsLetters()) {
                        out.add(piece(a, from, maxLine, same, fileHeaderKey, limit));
                        from += maxLine;
                        readPos = buffer.start + from;
                        scanned = buffer.limit;
                        added++;
                        continue;
                    }
                    skipping = new Skip(readPos, Arrays.copyOfRange(a, from, from + maxLine),
                            headersAt(fileHeaderKey, byteOffsetHeader, readPos), buffer.start + buffer.limit);
                    if (!skipToLineEnd(ch, buffer, limit)) {
                        break;
                    }
                    added++;
                    a = buffer.bytes;
                    from = (int) (readPos - buffer.start);
                    scanned = from;
                    continue;
                }
                if (!fill(ch, buffer, from, maxLine)) {
                    break;
                }
                a = buffer.bytes;
                from = 0;
                scanned = carried;
                continue;
            }
            int end = nl > from && a[nl - 1] == '\r' ? nl - 1 : nl;
            if (end - from > maxLine) {
                // longer than the limit, its end in the buffer
                if (limit.keepsLetters()) {
                    limit.letters().add(letter(Arrays.copyOfRange(a, from, from + maxLine),
                            headersAt(fileHeaderKey, byteOffsetHeader, readPos), readPos, maxLine));
                    from = nl + 1;
                    scanned = from;
                } else {
                    out.add(piece(a, from, maxLine, same, fileHeaderKey, limit));
                    from += maxLine;
                    scanned = nl;
                }
                readPos = buffer.start + from;
                added++;
                continue;
            }
            cut = false;
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

    /** The headers of the line starting at {@code offset}: the file's shared map, or one with the offset. */
    private Map<String, String> headersAt(String fileHeaderKey, boolean byteOffsetHeader, long offset) {
        return byteOffsetHeader ? withOffset(fileHeaderKey, offset) : lineHeaders(fileHeaderKey);
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
    private boolean fill(FileChannel ch, ReadBuffer buffer, int from, int maxLine) throws IOException {
        int unread = buffer.limit - from;
        byte[] target = buffer.bytes;
        if (unread == target.length) {
            // never more than the longest line allowed, its \r\n and one byte to tell it is longer
            target = new byte[(int) Math.min(2L * target.length, Math.max(target.length + 1L, maxLine + 2L))];
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

    /** The first {@code maxLine} bytes at {@code from} as an event: a piece of a line cut at the limit. */
    private Event piece(byte[] a, int from, int maxLine, Map<String, String> same, String fileHeaderKey,
            LineLimit limit) {
        if (!cut) {
            limit.split();
            cut = true;
        }
        return Event.wrap(same != null ? same : withOffset(fileHeaderKey, readPos),
                Arrays.copyOfRange(a, from, from + maxLine));
    }

    private RejectedInput.Input letter(byte[] start, Map<String, String> headers, long offset, int maxLine) {
        return new RejectedInput.Input(start, headers, "line longer than maxLineLength = " + maxLine
                + " bytes at byte offset " + offset + " of " + path + "; its first " + maxLine
                + " bytes are kept, the rest of the line is skipped");
    }

    /**
     * Reads on after the start of a line over the limit until its newline, through the buffer
     * emptied (never holding more than one buffer of the line). When the newline is found, the
     * letter goes to {@code limit}, the read position moves after the newline and the buffer holds
     * the bytes after it: true. At the end of the file the read position stays at the line's start
     * and the next read goes on where this one stopped: false.
     */
    private boolean skipToLineEnd(FileChannel ch, ReadBuffer buffer, LineLimit limit) throws IOException {
        lent = buffer;
        if (buffer.bytes.length != buffer.capacity) {
            buffer.bytes = new byte[buffer.capacity];
        }
        long pos = skipping.scannedTo;
        while (true) {
            buffer.lend(this, pos);
            int n = ch.read(ByteBuffer.wrap(buffer.bytes), pos);
            if (n <= 0) {
                skipping.scannedTo = pos;
                forgetBuffered();
                return false;
            }
            buffer.limit = n;
            int nl = ByteScan.indexOf(buffer.bytes, 0, n, (byte) '\n');
            if (nl >= 0) {
                limit.letters().add(letter(skipping.start, skipping.headers, skipping.lineStart,
                        skipping.start.length));
                readPos = pos + nl + 1;
                skipping = null;
                return true;
            }
            pos += n;
        }
    }

    /** The lines read since the last commit are in the channels: their end is now committed. */
    void commit() {
        committed = readPos;
    }

    /** The channels refused the batch: read it again next time. */
    void rollback() {
        readPos = committed;
        skipping = null;
        cut = false;
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
