package io.sluice.core.source.spooldir;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.zip.CRC32C;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The durable record of how far the {@code spooldir} source has committed the file it is reading,
 * kept in two files of the same format in {@code trackerDir}:
 * <ul>
 * <li>{@code .sluice-spool-position}, replaced after every committed batch (temp file and atomic
 * rename, without fsync): the operating system keeps it across a {@code kill -9} of the agent, so
 * a restart resumes exactly after the last committed batch;</li>
 * <li>{@code .sluice-spool-position.synced}, replaced at most every {@value #SYNC_INTERVAL_MILLIS} ms
 * and for the first batch of each file, with temp file, fsync, atomic rename and fsync of the
 * directory: never torn. After a power loss the first may be lost or unreadable; the position is
 * then taken from this one, which repeats at most the batches of the last second (duplicates, never
 * a loss: what a memory channel held is gone anyway, and a file channel has its own fsync).</li>
 * </ul>
 * Forcing both to disk for every batch cost two fsyncs per batch, which bounded the source by the
 * disk's fsync latency (Apache Flume's tracker forces none).
 *
 * <p>Format, version 1, big-endian: magic {@code "SPOS"} (4 bytes), version (int, 1), payload
 * length (int), payload, CRC32C of the payload (int). Payload: the file's absolute path (int
 * length + UTF-8 bytes), byte offset (long), records to skip after it (long), the file's size and
 * last-modified millis when it was opened (two longs).
 *
 * <p>Not thread-safe; used by the source's worker thread.
 */
final class PositionFile {
    private static final Logger LOG = LoggerFactory.getLogger(PositionFile.class);
    static final String FILE_NAME = ".sluice-spool-position";
    private static final int MAGIC = 0x53504f53; // "SPOS"
    private static final int VERSION = 1;

    /**
     * One committed position. Immutable.
     *
     * @param file         absolute path of the file being read
     * @param mark         where the committed events end
     * @param size         the file's size when it was opened
     * @param lastModified the file's last-modified time (ms) when it was opened
     */
    record Position(Path file, SpoolDeserializer.Mark mark, long size, long lastModified) {
        Position {
            requireNonNull(file, "file is null");
            requireNonNull(mark, "mark is null");
        }
    }

    /** The most time between two forced records, while batches are committed. */
    static final long SYNC_INTERVAL_MILLIS = 1000;
    static final String SYNCED_SUFFIX = ".synced";

    private final Path path;
    private final Path temp;
    private final Path synced;
    private final Path syncedTemp;
    private final LongSupplier nanoTime;
    private final long syncIntervalNanos;
    /** When the synced copy was last written; null when it was not since the last clear. */
    private Long lastSyncNanos;
    /** The last record written without being forced, or null. */
    private byte[] unsynced;

    PositionFile(Path trackerDir) {
        this(trackerDir, System::nanoTime, TimeUnit.MILLISECONDS.toNanos(SYNC_INTERVAL_MILLIS));
    }

    PositionFile(Path trackerDir, LongSupplier nanoTime, long syncIntervalNanos) {
        this.path = trackerDir.resolve(FILE_NAME);
        this.temp = trackerDir.resolve(FILE_NAME + ".tmp");
        this.synced = trackerDir.resolve(FILE_NAME + SYNCED_SUFFIX);
        this.syncedTemp = trackerDir.resolve(FILE_NAME + SYNCED_SUFFIX + ".tmp");
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.syncIntervalNanos = syncIntervalNanos;
    }

    Path path() {
        return path;
    }

    /**
     * The last written position, empty when none was written or it was cleared. When the unforced
     * record is missing or unreadable (a power loss), or behind the forced one, the forced one is
     * taken.
     */
    Optional<Position> read() throws IOException {
        Optional<Position> latest;
        try {
            latest = read(path);
        } catch (IOException e) {
            Optional<Position> safe;
            try {
                safe = read(synced);
            } catch (IOException e2) {
                e.addSuppressed(e2);
                throw e;
            }
            if (safe.isEmpty()) {
                throw e;
            }
            LOG.warn("{}; using the last forced position in {} instead (the batches committed after it are read"
                    + " again)", e.getMessage(), synced);
            return safe;
        }
        Optional<Position> safe = read(synced);
        if (latest.isEmpty() || safe.isPresent() && safe.get().file().equals(latest.get().file())
                && behind(latest.get().mark(), safe.get().mark())) {
            return safe.isPresent() ? safe : latest;
        }
        return latest;
    }

    private static boolean behind(SpoolDeserializer.Mark a, SpoolDeserializer.Mark b) {
        return a.offset() < b.offset() || a.offset() == b.offset() && a.skip() < b.skip();
    }

    private Optional<Position> read(Path file) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        if (all.length < 12 || b.getInt() != MAGIC) {
            throw corrupt(file, "it does not start with the position-file header");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw corrupt(file, "its format version is " + version + ", this Sluice reads version " + VERSION);
        }
        int length = b.getInt();
        if (length < 0 || b.remaining() != length + 4) {
            throw corrupt(file, "it is " + all.length + " bytes long, its header announces " + (length + 16));
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 12, length);
        b.position(12 + length);
        int stored = b.getInt();
        if (stored != (int) crc.getValue()) {
            throw corrupt(file, String.format("its checksum is %08x, the content's is %08x", stored,
                    (int) crc.getValue()));
        }
        b.position(12);
        return Optional.of(readPayload(b));
    }

    /**
     * Reads a position in the payload layout (see the class comment) from {@code b}.
     *
     * @throws java.nio.BufferUnderflowException when {@code b} ends too early
     * @throws IllegalArgumentException when a value is out of range
     */
    static Position readPayload(ByteBuffer b) {
        int nameLength = b.getInt();
        if (nameLength < 0 || nameLength > b.remaining()) {
            throw new IllegalArgumentException("file name of " + nameLength + " bytes in " + b.remaining() + " bytes");
        }
        byte[] name = new byte[nameLength];
        b.get(name);
        return new Position(Path.of(new String(name, StandardCharsets.UTF_8)),
                new SpoolDeserializer.Mark(b.getLong(), b.getLong()), b.getLong(), b.getLong());
    }

    private static IOException corrupt(Path file, String why) {
        return new IOException("position file " + file + " is unreadable: " + why + ". Delete it to start over;"
                + " the file it pointed into will then be read again from its start");
    }

    /** The payload of {@code position} (see the class comment). */
    static byte[] payload(Position position) {
        ByteArrayOutputStream payload = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(payload)) {
            byte[] name = position.file().toString().getBytes(StandardCharsets.UTF_8);
            d.writeInt(name.length);
            d.write(name);
            d.writeLong(position.mark().offset());
            d.writeLong(position.mark().skip());
            d.writeLong(position.size());
            d.writeLong(position.lastModified());
        } catch (IOException e) {
            throw new UncheckedIOException("writing to memory cannot fail", e);
        }
        return payload.toByteArray();
    }

    /** Records a committed position: forced to disk when the last forced record is older than the interval. */
    void write(Position position) throws IOException {
        byte[] p = payload(position);
        CRC32C crc = new CRC32C();
        crc.update(p);
        ByteBuffer out = ByteBuffer.allocate(16 + p.length);
        out.putInt(MAGIC).putInt(VERSION).putInt(p.length).put(p).putInt((int) crc.getValue());
        byte[] record = out.array();
        replace(temp, path, record, false);
        long now = nanoTime.getAsLong();
        if (lastSyncNanos == null || now - lastSyncNanos >= syncIntervalNanos) {
            replace(syncedTemp, synced, record, true);
            lastSyncNanos = now;
            unsynced = null;
        } else {
            unsynced = record;
        }
    }

    /** Forces the last record to disk, if it was not (at stop). */
    void sync() throws IOException {
        if (unsynced != null) {
            replace(syncedTemp, synced, unsynced, true);
            lastSyncNanos = nanoTime.getAsLong();
            unsynced = null;
        }
    }

    private void replace(Path tmp, Path target, byte[] record, boolean force) throws IOException {
        ByteBuffer out = ByteBuffer.wrap(record);
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (out.hasRemaining()) {
                ch.write(out);
            }
            if (force) {
                ch.force(true);
            }
        }
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        if (force) {
            syncDirectory();
        }
    }

    /** Forgets the position, once the file it points into is finished. */
    void clear() throws IOException {
        boolean deleted = Files.deleteIfExists(path);
        deleted |= Files.deleteIfExists(synced);
        lastSyncNanos = null;
        unsynced = null;
        if (deleted) {
            syncDirectory();
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
