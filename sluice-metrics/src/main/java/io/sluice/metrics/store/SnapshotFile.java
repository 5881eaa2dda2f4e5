package io.sluice.metrics.store;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

/**
 * Writes and reads a store's snapshot. Writing goes to {@code <file>.tmp}, is fsynced, renamed
 * over the file atomically, then the directory is fsynced, so a crash leaves either the old or the
 * new snapshot whole.
 *
 * <pre>
 * format version 1, big-endian:
 *   int magic 0x534C4D53 ("SLMS"), int version (1), int rings, per ring: int buckets, long resolution ms
 *   records, each: int length (&gt; 0), int CRC32C of the payload, payload:
 *     string name, int labels, per label: string name, string value, byte value type,
 *     7 doubles open bucket (number or NaN, count, sum, min, max, first, last),
 *     byte 1 + string latest string value, or byte 0,
 *     per ring: its bytes (length fixed by the ring's buckets, see CompactRing)
 *   int 0 (end), long number of records
 *   string: int length, UTF-8 bytes
 * </pre>
 *
 * <p>Reading stops at the first damaged record (bad length, CRC32C mismatch, truncated file) or a
 * wrong trailer: the series before it are restored and a {@link DamagedSnapshotException} says
 * where and why; the caller keeps the file aside. Stateless; thread-safe.
 */
public final class SnapshotFile {
    static final int MAGIC = 0x534C4D53;
    static final int VERSION = 1;
    private static final int MAX_RECORD = 64 * 1024 * 1024;

    private SnapshotFile() {
    }

    /** Writes {@code store} to {@code file} atomically; returns the number of series written. */
    public static long write(MetricsStore store, Path file) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        long n = 0;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
                OutputStream raw = Channels.newOutputStream(ch);
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(raw, 1 << 16))) {
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            List<RingSpec> specs = store.specs();
            out.writeInt(specs.size());
            for (RingSpec r : specs) {
                out.writeInt(r.buckets());
                out.writeLong(r.resolutionMillis());
            }
            ByteArrayOutputStream buf = new ByteArrayOutputStream(4096);
            DataOutputStream rec = new DataOutputStream(buf);
            CRC32C crc = new CRC32C();
            for (Series s : store.allSeries()) {
                buf.reset();
                SeriesKey k = s.key();
                writeString(rec, k.name());
                rec.writeInt(k.labelCount());
                for (int i = 0; i < k.labelCount(); i++) {
                    writeString(rec, k.labelName(i));
                    writeString(rec, k.labelValue(i));
                }
                Series.State state = s.state();
                rec.writeByte(state.type().ordinal());
                for (double d : state.open()) {
                    rec.writeDouble(d);
                }
                String last = state.lastString();
                rec.writeByte(last == null ? 0 : 1);
                if (last != null) {
                    writeString(rec, last);
                }
                for (byte[] ring : state.rings()) {
                    rec.write(ring);
                }
                rec.flush();
                byte[] payload = buf.toByteArray();
                crc.reset();
                crc.update(payload);
                out.writeInt(payload.length);
                out.writeInt((int) crc.getValue());
                out.write(payload);
                n++;
            }
            out.writeInt(0);
            out.writeLong(n);
            out.flush();
            ch.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        try (FileChannel dir = FileChannel.open(file.toAbsolutePath().getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // some file systems cannot open a directory for fsync; the rename itself is atomic
        }
        return n;
    }

    /**
     * Restores a snapshot into an empty store; returns the number of series restored, or -1 when
     * there is no snapshot file.
     *
     * @throws DamagedSnapshotException when the file is damaged or written for other rings (the
     *         series read before the damage are restored)
     */
    public static long restore(MetricsStore store, Path file) throws IOException {
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            return -1;
        }
        long restored = 0;
        long offset = 0;
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(raw, 1 << 16))) {
            int magic = in.readInt();
            if (magic != MAGIC) {
                throw new DamagedSnapshotException(file, 0, 0, String.format(
                        "it does not start with the snapshot magic number (found 0x%08X, expected 0x%08X)", magic,
                        MAGIC));
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new DamagedSnapshotException(file, 4, 0, "format version " + version
                        + " is not one this Sluice reads (expected " + VERSION + ")");
            }
            int rings = in.readInt();
            StringBuilder saved = new StringBuilder();
            for (int i = 0; i < rings && i < 64; i++) {
                saved.append(i == 0 ? "" : ",").append(in.readInt()).append('x').append(in.readLong()).append("ms");
            }
            StringBuilder wanted = new StringBuilder();
            for (int i = 0; i < store.specs().size(); i++) {
                RingSpec r = store.specs().get(i);
                wanted.append(i == 0 ? "" : ",").append(r.buckets()).append('x').append(r.resolutionMillis())
                        .append("ms");
            }
            if (!saved.toString().contentEquals(wanted)) {
                throw new DamagedSnapshotException(file, 12, 0, "it was written for rings " + saved
                        + " but the sink is configured with " + wanted + "; set rings back to restore it");
            }
            offset = 12 + 12L * rings;
            CRC32C crc = new CRC32C();
            while (true) {
                int len = in.readInt();
                if (len == 0) {
                    long count = in.readLong();
                    if (count != restored) {
                        throw new DamagedSnapshotException(file, offset, restored, "its trailer counts " + count
                                + " series but " + restored + " were read");
                    }
                    return restored;
                }
                if (len < 0 || len > MAX_RECORD) {
                    throw new DamagedSnapshotException(file, offset, restored, "record " + (restored + 1)
                            + " has length " + len + " (expected 1 to " + MAX_RECORD + ")");
                }
                int expected = in.readInt();
                byte[] payload = new byte[len];
                in.readFully(payload);
                crc.reset();
                crc.update(payload);
                if ((int) crc.getValue() != expected) {
                    throw new DamagedSnapshotException(file, offset, restored, String.format(
                            "record %d fails its checksum (CRC32C stored 0x%08X, computed 0x%08X)", restored + 1,
                            expected, (int) crc.getValue()));
                }
                readSeries(store, payload);
                restored++;
                offset += 8 + len;
            }
        } catch (EOFException e) {
            throw new DamagedSnapshotException(file, offset, restored, "it ends in the middle of record "
                    + (restored + 1) + " (truncated)");
        }
    }

    private static void readSeries(MetricsStore store, byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        String name = readString(in);
        int labels = in.readInt();
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < labels; i++) {
            m.put(readString(in), readString(in));
        }
        ValueType type = ValueType.ofCode(in.readByte());
        double[] open = new double[7];
        for (int i = 0; i < open.length; i++) {
            open[i] = in.readDouble();
        }
        String last = in.readByte() == 1 ? readString(in) : null;
        byte[][] rings = new byte[store.specs().size()][];
        for (int i = 0; i < rings.length; i++) {
            rings[i] = new byte[CompactRing.HEADER + store.specs().get(i).buckets() * CompactRing.BUCKET];
            in.readFully(rings[i]);
        }
        store.restoreSeries(SeriesKey.of(name, m), type).restore(rings, open, last);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    private static String readString(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_RECORD) {
            throw new IOException("string length " + n);
        }
        byte[] b = new byte[n];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    /** A snapshot that could not be read whole; the series before {@link #offset()} were restored. */
    public static final class DamagedSnapshotException extends IOException {
        private final transient Path file;
        private final long offset;
        private final long restored;

        DamagedSnapshotException(Path file, long offset, long restored, String why) {
            super("metrics snapshot " + file + " is damaged at byte " + offset + ": " + why + "; " + restored
                    + " series before it were restored");
            this.file = file;
            this.offset = offset;
            this.restored = restored;
        }

        public Path file() {
            return file;
        }

        public long offset() {
            return offset;
        }

        public long restored() {
            return restored;
        }
    }
}
