package io.sluice.core.sink.fileroll;

import io.sluice.core.support.ChecksummedRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code file_roll} sink's commit records in exactly-once mode
 * ({@code sink.exactlyOnce = true}): {@code .<sink name>.file_roll-commits} in the sink's directory.
 * After a batch is written and forced to disk, and before its take commits, a record names the
 * file being written, its length after the batch, and the channel positions of the batch (first,
 * last, count); a record is also written when a file is opened (its length after the serializer's
 * header) and when it is closed. So the last record always names the only file that may hold
 * bytes no take was committed for, and how long that file was when everything in it was
 * recorded.
 *
 * <p>Format, version 1, big-endian: records only, each a payload length (int), the CRC32C of the
 * payload (int) and the payload: version (byte, 1), the file name within the directory (short
 * length + UTF-8), its length (long), the batch's first and last position (long, long) and event
 * count (int; 0 when no batch was recorded yet). Reading stops at the first torn or corrupt record
 * (the tail a crash or a full disk can leave); the first append after opening cuts such a tail off,
 * and an append that fails cuts off what it wrote, so no record ever follows a torn one. When the
 * file passes 1 MB it is replaced by one holding its last record (temp file, fsync, rename, fsync
 * of the directory).
 *
 * <p>Not thread-safe: used under the sink's monitor.
 */
final class CommitLog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(CommitLog.class);
    private static final byte VERSION = 1;
    private static final long COMPACT_BYTES = 1024 * 1024;

    /**
     * One commit record. Immutable.
     *
     * @param file   the file's name within the sink directory
     * @param length its length when the record was written
     * @param first  the channel position of the batch's first event
     * @param last   that of its last event
     * @param count  how many events the batch held; 0 when no batch has been recorded
     */
    record Commit(String file, long length, long first, long last, int count) {
        Commit {
            requireNonNull(file, "file is null");
        }

        /** The same batch, for another file state. */
        Commit at(String newFile, long newLength) {
            return new Commit(newFile, newLength, first, last, count);
        }
    }

    private final Path path;
    private FileChannel out;
    /** Where the intact records end, as {@link #last()} found; -1 before it was read. */
    private long intactLength = -1;
    private long tornBytesCut;

    CommitLog(Path directory, String sinkName) {
        this.path = directory.resolve("." + sinkName + ".file_roll-commits");
    }

    Path path() {
        return path;
    }

    /** The last intact record, null when there is none. */
    Commit last() throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            intactLength = 0;
            return null;
        }
        Commit last = null;
        long intact = 0;
        for (ByteBuffer p : ChecksummedRecords.read(all, 0)) {
            intact += 8 + p.remaining();
            byte version = p.get();
            if (version != VERSION) {
                throw new IOException(path + " holds a commit record of version " + version + "; this Sluice reads"
                        + " version " + VERSION + ". Run the Sluice that wrote it, or remove the file (the next start"
                        + " may then write the last batch twice)");
            }
            byte[] name = new byte[p.getShort() & 0xFFFF];
            p.get(name);
            last = new Commit(new String(name, StandardCharsets.UTF_8), p.getLong(), p.getLong(), p.getLong(),
                    p.getInt());
        }
        intactLength = intact;
        return last;
    }

    /**
     * How many bytes of a torn or corrupt tail (a crash or a full disk in the middle of an append)
     * the first append cut off; 0 when there was none.
     */
    long tornBytesCut() {
        return tornBytesCut;
    }

    /** Appends {@code c} and forces it to disk. */
    void append(Commit c) throws IOException {
        if (out == null) {
            if (intactLength < 0) {
                last();
            }
            out = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            fsyncDirectory(path.getParent());
            // A record appended after a torn one would never be read: the reader stops at the tear,
            // and the next start would recover from an older record.
            long size = out.size();
            if (size > intactLength) {
                out.truncate(intactLength);
                out.force(true);
                tornBytesCut = size - intactLength;
                LOG.warn("{} ended in {} bytes of a torn or corrupt record (a crash or a full disk during an append);"
                        + " they were cut off so the records appended now are read at the next start", path,
                        tornBytesCut);
            }
        }
        if (out.size() > COMPACT_BYTES) {
            compact(c);
            return;
        }
        long before = out.size();
        try {
            ChecksummedRecords.writeFully(out, encode(c));
            out.force(false);
        } catch (IOException e) {
            // a part of the record may be written: cut it, or the next append would follow a torn record
            try {
                out.truncate(before);
            } catch (IOException t) {
                e.addSuppressed(t);
                close();
                intactLength = -1; // the next append reads the records again and cuts the tail then
            }
            throw e;
        }
    }

    private void compact(Commit c) throws IOException {
        close();
        Path temp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel t = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ChecksummedRecords.writeFully(t, encode(c));
            t.force(true);
        }
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        fsyncDirectory(path.getParent());
        out = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    private static ByteBuffer encode(Commit c) {
        byte[] name = c.file().getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + 1 + 2 + name.length + 8 + 8 + 8 + 4);
        b.position(8);
        b.put(VERSION).putShort((short) name.length).put(name).putLong(c.length()).putLong(c.first())
                .putLong(c.last()).putInt(c.count());
        ChecksummedRecords.seal(b, 0);
        return b.flip();
    }

    @Override
    public void close() throws IOException {
        if (out != null) {
            try {
                out.close();
            } finally {
                out = null;
            }
        }
    }

    /** Forces a directory's entries to disk, so a created or renamed file survives a power loss. */
    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
