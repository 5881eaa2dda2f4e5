package io.sluice.core.source.taildir;

/**
 * The read buffer of one reader thread of a {@code TAILDIR} source, lent to the file being read: it holds the bytes
 * {@code [start, start + limit)} of its owner. Reading another file takes it over (the previous
 * owner's bytes after its read position are read again from the file when its turn comes), so a
 * source following many files holds one buffer per reader thread, not one per file. It grows to hold a line longer
 * than its capacity and shrinks back once that line is read.
 *
 * <p>Not thread-safe: used by its reader thread only.
 */
final class ReadBuffer {
    /** Bytes read from a file at once: many lines per system call, still within a core's cache. */
    static final int CAPACITY = 256 * 1024;

    /** The size the buffer has between long lines. */
    final int capacity;
    byte[] bytes;
    /** File offset of {@code bytes[0]}. */
    long start;
    /** How many bytes of {@link #bytes} hold the owner's content. */
    int limit;
    /** The file whose bytes these are, or null. */
    TailedFile owner;

    ReadBuffer() {
        this(CAPACITY);
    }

    /** A buffer of {@code capacity} bytes (tests use small ones to put lines across its end). */
    ReadBuffer(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity: " + capacity + " (expected: >= 1)");
        }
        this.capacity = capacity;
        this.bytes = new byte[capacity];
    }

    /** Hands the buffer, emptied, to {@code file}, whose next byte is at {@code position}. */
    void lend(TailedFile file, long position) {
        owner = file;
        start = position;
        limit = 0;
    }
}
