package io.sluice.channel.file.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * A checkpoint: the live pointers of the channel, head first, and where replay of each data
 * directory starts, as of commit {@link #lastCommitSeq()}. Layout in {@link LogFormat}.
 * {@link #write} replaces the file atomically (temp file, fsync, rename, fsync of the directory).
 *
 * <p>Immutable value (the pointer array is not copied; callers do not change it).
 */
public final class Checkpoint {
    private final long createdMillis;
    private final long lastCommitSeq;
    private final long nextTxId;
    private final long[] dirStarts;
    private final long[] pointers;
    private final int size;
    private final Map<String, byte[]> markers;

    public Checkpoint(long createdMillis, long lastCommitSeq, long nextTxId, long[] dirStarts, long[] pointers,
            int size) {
        this(createdMillis, lastCommitSeq, nextTxId, dirStarts, pointers, size, Map.of());
    }

    /** @param markers the newest committed marker of each owner (the arrays are not copied) */
    public Checkpoint(long createdMillis, long lastCommitSeq, long nextTxId, long[] dirStarts, long[] pointers,
            int size, Map<String, byte[]> markers) {
        this.markers = Map.copyOf(markers);
        this.createdMillis = createdMillis;
        this.lastCommitSeq = lastCommitSeq;
        this.nextTxId = nextTxId;
        this.dirStarts = dirStarts.clone();
        this.pointers = pointers;
        this.size = size;
    }

    public long createdMillis() {
        return createdMillis;
    }

    public long lastCommitSeq() {
        return lastCommitSeq;
    }

    public long nextTxId() {
        return nextTxId;
    }

    /** Pointer-encoded (segment id, offset) where replay of each data directory starts. */
    public long[] dirStarts() {
        return dirStarts.clone();
    }

    public int size() {
        return size;
    }

    public long pointer(int i) {
        return pointers[i];
    }

    /** The newest committed marker of each owner as of {@link #lastCommitSeq()}. */
    public Map<String, byte[]> markers() {
        return markers;
    }

    public long[] pointers() {
        return Arrays.copyOf(pointers, size);
    }

    /** Writes {@code dir/checkpoint} atomically and durably. */
    public void write(Path dir) throws IOException {
        Path tmp = dir.resolve(LogFormat.CHECKPOINT_TEMP_FILE);
        Path target = dir.resolve(LogFormat.CHECKPOINT_FILE);
        writeTemp(tmp);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        Fsync.directory(dir);
    }

    /** Writes and fsyncs the temp file only (the first half of {@link #write}; tests crash after it). */
    public void writeTemp(Path tmp) throws IOException {
        CRC32C crc = new CRC32C();
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer b = ByteBuffer.allocate(1 << 20);
            b.putInt(LogFormat.CHECKPOINT_MAGIC).putInt(LogFormat.VERSION).putLong(createdMillis)
                    .putLong(lastCommitSeq).putLong(nextTxId).putInt(dirStarts.length);
            for (long s : dirStarts) {
                b.putInt(LogFormat.segmentOf(s)).putLong(LogFormat.offsetOf(s));
            }
            b.putInt(size);
            for (int i = 0; i < size; i++) {
                if (b.remaining() < 8) {
                    drain(ch, b, crc);
                }
                b.putLong(pointers[i]);
            }
            if (b.remaining() < 4) {
                drain(ch, b, crc);
            }
            b.putInt(markers.size());
            for (Map.Entry<String, byte[]> m : new TreeMap<>(markers).entrySet()) {
                byte[] owner = m.getKey().getBytes(StandardCharsets.UTF_8);
                byte[] value = m.getValue();
                if (b.remaining() < 6 + owner.length + value.length + 4) {
                    drain(ch, b, crc);
                }
                if (b.remaining() < 6 + owner.length + value.length + 4) {
                    ByteBuffer big = ByteBuffer.allocate(6 + owner.length + value.length + 4);
                    big.putShort((short) owner.length).put(owner).putInt(value.length).put(value);
                    drain(ch, big, crc);
                    continue;
                }
                b.putShort((short) owner.length).put(owner).putInt(value.length).put(value);
            }
            if (b.remaining() < 4) {
                drain(ch, b, crc);
            }
            b.flip();
            crc.update(b.array(), 0, b.limit());
            b.position(b.limit());
            b.limit(b.capacity());
            b.putInt((int) crc.getValue());
            b.flip();
            while (b.hasRemaining()) {
                ch.write(b);
            }
            ch.force(true);
        }
    }

    private static void drain(FileChannel ch, ByteBuffer b, CRC32C crc) throws IOException {
        b.flip();
        crc.update(b.array(), 0, b.limit());
        while (b.hasRemaining()) {
            ch.write(b);
        }
        b.clear();
    }

    /**
     * Reads {@code dir/checkpoint}. Throws {@link NoSuchFileException} when there is none and
     * {@link CorruptRecordException} (naming the file and both checksums) when it is damaged.
     */
    public static Checkpoint read(Path dir) throws IOException {
        Path file = dir.resolve(LogFormat.CHECKPOINT_FILE);
        byte[] all = Files.readAllBytes(file);
        if (all.length < 40) {
            throw new CorruptRecordException(file + ": " + all.length + " bytes is too short for a checkpoint");
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        int magic = b.getInt();
        if (magic != LogFormat.CHECKPOINT_MAGIC) {
            throw new CorruptRecordException(String.format("%s: bad magic 0x%08X (expected 0x%08X)", file, magic,
                    LogFormat.CHECKPOINT_MAGIC));
        }
        CRC32C crc = new CRC32C();
        crc.update(all, 0, all.length - 4);
        int stored = ByteBuffer.wrap(all, all.length - 4, 4).getInt();
        if (stored != (int) crc.getValue()) {
            throw new CorruptRecordException(String.format("%s: checksum mismatch: stored 0x%08X, computed 0x%08X",
                    file, stored, (int) crc.getValue()));
        }
        int version = b.getInt();
        if (!LogFormat.readable(version)) {
            throw new CorruptRecordException(file + ": format version " + version + " is not supported (this Sluice"
                    + " reads versions " + LogFormat.OLDEST_READABLE_VERSION + " to " + LogFormat.VERSION + ")");
        }
        long created = b.getLong();
        long seq = b.getLong();
        long nextTx = b.getLong();
        int dirCount = b.getInt();
        if (dirCount < 0 || dirCount > 1024 || b.remaining() < dirCount * 12 + 8) {
            throw new CorruptRecordException(file + ": directory count " + dirCount + " does not fit the file");
        }
        long[] starts = new long[dirCount];
        for (int i = 0; i < dirCount; i++) {
            int seg = b.getInt();
            long off = b.getLong();
            starts[i] = LogFormat.pointer(seg, off);
        }
        int size = b.getInt();
        long queueBytes = (long) size * 8;
        if (size < 0 || (version == 1 ? queueBytes != b.remaining() - 4 : queueBytes > b.remaining() - 8)) {
            throw new CorruptRecordException(file + ": queue size " + size + " does not match the file length "
                    + all.length);
        }
        long[] pointers = new long[size];
        b.asLongBuffer().get(pointers);
        b.position(b.position() + size * 8);
        Map<String, byte[]> markers = new HashMap<>();
        if (version >= 2) {
            int count = b.getInt();
            for (int i = 0; i < count; i++) {
                if (b.remaining() - 4 < 6) {
                    throw new CorruptRecordException(file + ": marker " + i + " of " + count + " does not fit the file");
                }
                byte[] owner = new byte[b.getShort() & 0xFFFF];
                if (b.remaining() - 4 < owner.length + 4) {
                    throw new CorruptRecordException(file + ": marker " + i + " of " + count + " does not fit the file");
                }
                b.get(owner);
                int length = b.getInt();
                if (length < 0 || b.remaining() - 4 < length) {
                    throw new CorruptRecordException(file + ": marker " + i + " of " + count + " does not fit the file");
                }
                byte[] value = new byte[length];
                b.get(value);
                markers.put(new String(owner, StandardCharsets.UTF_8), value);
            }
            if (b.remaining() != 4) {
                throw new CorruptRecordException(file + ": " + (b.remaining() - 4) + " unexpected bytes after the markers");
            }
        }
        return new Checkpoint(created, seq, nextTx, starts, pointers, size, markers);
    }
}
