package io.sluice.core.source.taildir;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The positions a {@code TAILDIR} source commits into its channel with each batch when the channel
 * keeps source markers ({@link io.sluice.api.SourceMarkerChannel}): the same entries as the
 * position file, as they stand once the batch is committed.
 *
 * <p>Format, version 1, big-endian: version (int, 1), entry count (int), then per entry the inode
 * (long), the position (long), the fingerprint length (int, 0 for none) and CRC32C (long), the
 * path (short length + UTF-8).
 *
 * <p>Stateless; thread-safe.
 */
final class PositionMarker {
    private static final int VERSION = 1;

    private PositionMarker() {
    }

    static byte[] encode(List<PositionFile.Entry> entries) {
        byte[][] names = new byte[entries.size()][];
        int size = 8;
        for (int i = 0; i < names.length; i++) {
            names[i] = entries.get(i).file().toString().getBytes(StandardCharsets.UTF_8);
            size += PositionJournal.entrySize(names[i].length);
        }
        ByteBuffer b = ByteBuffer.allocate(size).putInt(VERSION).putInt(names.length);
        for (int i = 0; i < names.length; i++) {
            PositionFile.Entry e = entries.get(i);
            Fingerprint fp = e.fingerprint();
            PositionJournal.writeEntry(b, e.inode(), e.pos(), fp == null ? 0 : fp.length(), fp == null ? 0 : fp.crc(),
                    names[i]);
        }
        return b.array();
    }

    /**
     * The entries of a marker.
     *
     * @throws IllegalArgumentException naming what is wrong when the bytes are not a marker of a
     *     version this code reads
     */
    static List<PositionFile.Entry> decode(byte[] marker) {
        ByteBuffer b = ByteBuffer.wrap(marker);
        try {
            int version = b.getInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("position marker version " + version + " (this Sluice reads version "
                        + VERSION + ")");
            }
            int count = b.getInt();
            if (count < 0 || count > marker.length / 30) {
                throw new IllegalArgumentException("position marker names " + count + " files in " + marker.length
                        + " bytes");
            }
            List<PositionFile.Entry> out = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                PositionFile.Entry e = PositionJournal.readEntry(b);
                if (e.pos() < 0) {
                    throw new IllegalArgumentException("position marker entry " + i + " has position " + e.pos());
                }
                out.add(e);
            }
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("position marker has " + b.remaining() + " bytes after its entries");
            }
            return out;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("position marker of " + marker.length + " bytes is cut short", e);
        }
    }

    /**
     * The positions to resume from, given those of the position file and those the channel
     * committed with the last batch. The channel's marker is written in the same commit as the
     * events and the position file just after it, so the marker can be ahead of the file by the
     * one batch a crash cut off; but it can also be behind it, since the file also records what
     * happens between batches (a file found, forgotten, truncated, its inode reused). So the marker
     * only moves a file the position file knows further along, and only when both name the same
     * fingerprint: a file only the marker knows, or whose fingerprints differ (truncated, its inode
     * reused, or still shorter than a whole fingerprint and grown since), is left as the position
     * file has it (at worst a batch is read twice, never a line skipped).
     */
    static List<PositionFile.Entry> newer(List<PositionFile.Entry> fromFile, List<PositionFile.Entry> fromMarker) {
        Map<Long, PositionFile.Entry> marker = new LinkedHashMap<>();
        for (PositionFile.Entry m : fromMarker) {
            marker.put(m.inode(), m);
        }
        List<PositionFile.Entry> out = new ArrayList<>(fromFile.size());
        for (PositionFile.Entry f : fromFile) {
            PositionFile.Entry m = marker.get(f.inode());
            out.add(m != null && m.pos() > f.pos() && Objects.equals(f.fingerprint(), m.fingerprint())
                    ? new PositionFile.Entry(f.inode(), m.pos(), f.file(), f.fingerprint(), f.seenEmptyAmong())
                    : f);
        }
        return List.copyOf(out);
    }

}
