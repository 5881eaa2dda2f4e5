package io.sluice.core.source.taildir;

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
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Sluice's own record of the positions between two rewrites of the JSON position file:
 * {@code <positionFile>.journal}, so every committed batch is recorded by one small append instead
 * of a rewrite and rename of the JSON file (a rename over an existing file makes ext4 flush the new
 * file's data, about a millisecond per batch).
 *
 * <p>Format, version 2, big-endian: magic {@code "STPJ"} (int), version (int, 2), the CRC32C of
 * the JSON position file written with this journal (long); then records, each a payload length
 * (int), the CRC32C of the payload (int) and the payload: inode (long), position (long, -1 when the
 * file is no longer followed), fingerprint length (int, 0 for none) and CRC32C (long), the path
 * (short length + UTF-8), then the notes of a file seen empty ({@link PositionFile.Entry#seenEmptyAmong}):
 * their count (int, -1 for none), and per noted file its inode (long), fingerprint length (int, 0
 * for none) and CRC32C (long). Version 1 (written by earlier Sluice versions) has no notes and is
 * still read. A journal starts with one record per followed file (a snapshot, written
 * to a temp file and renamed into place) and grows by one record per change. Reading replays the
 * records in order and stops at the first torn or corrupt one (the tail a {@code kill -9} can
 * leave). A journal whose JSON checksum differs from the JSON file's is ignored: someone else
 * (Apache Flume) wrote the JSON file since.
 *
 * <p>Not thread-safe: used by the source's runner thread only.
 */
final class PositionJournal implements AutoCloseable {
    static final String SUFFIX = ".journal";
    private static final int MAGIC = 0x5354504a; // "STPJ"
    private static final int VERSION = 2;
    /** The version without the notes of files seen empty, still read. */
    private static final int VERSION_WITHOUT_NOTES = 1;
    /** Bytes of one noted file. */
    private static final int NOTE = 8 + 4 + 8;
    private static final int HEADER = 16;

    private final Path path;
    private FileChannel out;

    PositionJournal(Path positionFile) {
        this.path = positionFile.resolveSibling(positionFile.getFileName() + SUFFIX);
    }

    Path path() {
        return path;
    }

    /** Starts a new journal holding {@code entries}, for the JSON file with checksum {@code jsonCrc}. */
    void snapshot(Collection<PositionFile.Entry> entries, long jsonCrc, boolean sync) throws IOException {
        close();
        ByteBuffer head = ByteBuffer.allocate(HEADER).putInt(MAGIC).putInt(VERSION).putLong(jsonCrc).flip();
        ByteBuffer body = records(entries, List.of());
        Path temp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ChecksummedRecords.writeFully(ch, head);
            ChecksummedRecords.writeFully(ch, body);
            if (sync) {
                ch.force(true);
            }
        }
        Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        out = FileChannel.open(path, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    /** Appends the changed entries and the inodes no longer followed, in one write. */
    void append(Collection<PositionFile.Entry> changed, Collection<Long> removed) throws IOException {
        if (out == null) {
            throw new IllegalStateException("append() called before snapshot()");
        }
        ChecksummedRecords.writeFully(out, records(changed, removed));
    }

    /** The replayed entries, empty when there is no journal or it belongs to another JSON file. */
    Optional<List<PositionFile.Entry>> read(long jsonCrc) throws IOException {
        byte[] all;
        try {
            all = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        ByteBuffer b = ByteBuffer.wrap(all);
        if (all.length < HEADER || b.getInt() != MAGIC) {
            return Optional.empty();
        }
        int version = b.getInt();
        if (version != VERSION && version != VERSION_WITHOUT_NOTES || b.getLong() != jsonCrc) {
            return Optional.empty();
        }
        Map<Long, PositionFile.Entry> state = new LinkedHashMap<>();
        for (ByteBuffer p : ChecksummedRecords.read(all, HEADER)) {
            PositionFile.Entry e = readEntry(p);
            if (version == VERSION) {
                e = new PositionFile.Entry(e.inode(), e.pos(), e.file(), e.fingerprint(), readNotes(p));
            }
            if (e.pos() < 0) {
                state.remove(e.inode());
            } else {
                state.put(e.inode(), e);
            }
        }
        return Optional.of(List.copyOf(state.values()));
    }

    private static ByteBuffer records(Collection<PositionFile.Entry> entries, Collection<Long> removed) {
        int size = 0;
        byte[][] names = new byte[entries.size()][];
        int i = 0;
        for (PositionFile.Entry e : entries) {
            names[i] = e.file().toString().getBytes(StandardCharsets.UTF_8);
            size += 8 + 30 + names[i++].length + 4;
            if (e.seenEmptyAmong() != null) {
                size += e.seenEmptyAmong().size() * NOTE;
            }
        }
        size += removed.size() * (8 + 30 + 4);
        ByteBuffer b = ByteBuffer.allocate(size);
        i = 0;
        for (PositionFile.Entry e : entries) {
            Fingerprint fp = e.fingerprint();
            record(b, e.inode(), e.pos(), fp == null ? 0 : fp.length(), fp == null ? 0 : fp.crc(), names[i++],
                    e.seenEmptyAmong());
        }
        for (long inode : removed) {
            record(b, inode, -1, 0, 0, new byte[0], null);
        }
        return b.flip();
    }

    private static void record(ByteBuffer b, long inode, long pos, int fpLength, long fpCrc, byte[] name,
            Map<Long, Fingerprint> notes) {
        int start = b.position();
        b.position(start + 8);
        writeEntry(b, inode, pos, fpLength, fpCrc, name);
        writeNotes(b, notes);
        ChecksummedRecords.seal(b, start);
    }

    private static void writeNotes(ByteBuffer b, Map<Long, Fingerprint> notes) {
        if (notes == null) {
            b.putInt(-1);
            return;
        }
        b.putInt(notes.size());
        for (Map.Entry<Long, Fingerprint> n : notes.entrySet()) {
            Fingerprint fp = n.getValue();
            b.putLong(n.getKey()).putInt(fp == null ? 0 : fp.length()).putLong(fp == null ? 0 : fp.crc());
        }
    }

    private static Map<Long, Fingerprint> readNotes(ByteBuffer p) {
        int count = p.getInt();
        if (count < 0) {
            return null;
        }
        Map<Long, Fingerprint> notes = new HashMap<>();
        for (int i = 0; i < count; i++) {
            long inode = p.getLong();
            int fpLength = p.getInt();
            long fpCrc = p.getLong();
            notes.put(inode, fpLength == 0 ? null : new Fingerprint(fpLength, fpCrc));
        }
        return notes;
    }

    /** Bytes {@link #writeEntry} takes for a path of {@code nameLength} UTF-8 bytes. */
    static int entrySize(int nameLength) {
        return 30 + nameLength;
    }

    /**
     * One entry: inode (long), position (long), fingerprint length (int, 0 for none) and CRC32C
     * (long), the path (short length + UTF-8). Shared with {@link PositionMarker}.
     */
    static void writeEntry(ByteBuffer b, long inode, long pos, int fpLength, long fpCrc, byte[] name) {
        b.putLong(inode).putLong(pos).putInt(fpLength).putLong(fpCrc).putShort((short) name.length).put(name);
    }

    /** Reads what {@link #writeEntry} wrote; a negative position is returned as it is (removed). */
    static PositionFile.Entry readEntry(ByteBuffer p) {
        long inode = p.getLong();
        long pos = p.getLong();
        int fpLength = p.getInt();
        long fpCrc = p.getLong();
        byte[] name = new byte[p.getShort() & 0xffff];
        p.get(name);
        return new PositionFile.Entry(inode, pos, Path.of(new String(name, StandardCharsets.UTF_8)),
                fpLength == 0 ? null : new Fingerprint(fpLength, fpCrc));
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
}
