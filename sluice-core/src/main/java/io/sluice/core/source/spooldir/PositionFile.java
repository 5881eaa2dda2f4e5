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
import java.util.zip.CRC32C;

import static java.util.Objects.requireNonNull;

/**
 * The durable record of how far the {@code spooldir} source has committed the file it is reading:
 * {@code <trackerDir>/.sluice-spool-position}, written after every committed batch as a temp file,
 * fsync, atomic rename and fsync of the directory, so after {@code kill -9} or a power loss it
 * holds the last committed position or the one before it, never a torn record.
 *
 * <p>Format, version 1, big-endian: magic {@code "SPOS"} (4 bytes), version (int, 1), payload
 * length (int), payload, CRC32C of the payload (int). Payload: the file's absolute path (int
 * length + UTF-8 bytes), byte offset (long), records to skip after it (long), the file's size and
 * last-modified millis when it was opened (two longs).
 *
 * <p>Not thread-safe; used by the source's worker thread.
 */
final class PositionFile {
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

    private final Path path;
    private final Path temp;

    PositionFile(Path trackerDir) {
        this.path = trackerDir.resolve(FILE_NAME);
        this.temp = trackerDir.resolve(FILE_NAME + ".tmp");
    }

    Path path() {
        return path;
    }

    /** The last written position, empty when none was written or it was cleared. */
    Optional<Position> read() throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        if (all.length < 12 || b.getInt() != MAGIC) {
            throw corrupt("it does not start with the position-file header");
        }
        int version = b.getInt();
        if (version != VERSION) {
            throw corrupt("its format version is " + version + ", this Sluice reads version " + VERSION);
        }
        int length = b.getInt();
        if (length < 0 || b.remaining() != length + 4) {
            throw corrupt("it is " + all.length + " bytes long, its header announces " + (length + 16));
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 12, length);
        b.position(12 + length);
        int stored = b.getInt();
        if (stored != (int) crc.getValue()) {
            throw corrupt(String.format("its checksum is %08x, the content's is %08x", stored, (int) crc.getValue()));
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

    private IOException corrupt(String why) {
        return new IOException("position file " + path + " is unreadable: " + why + ". Delete it to start over;"
                + " the file it pointed into will then be read again from its start");
    }

    void write(Position position) throws IOException {
        byte[] p = payload(position);
        CRC32C crc = new CRC32C();
        crc.update(p);
        ByteBuffer out = ByteBuffer.allocate(16 + p.length);
        out.putInt(MAGIC).putInt(VERSION).putInt(p.length).put(p).putInt((int) crc.getValue()).flip();
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            while (out.hasRemaining()) {
                ch.write(out);
            }
            ch.force(true);
        }
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        syncDirectory();
    }

    /** Forgets the position, once the file it points into is finished. */
    void clear() throws IOException {
        if (Files.deleteIfExists(path)) {
            syncDirectory();
        }
    }

    private void syncDirectory() throws IOException {
        try (FileChannel d = FileChannel.open(path.getParent(), StandardOpenOption.READ)) {
            d.force(true);
        }
    }
}
