package io.sluice.core.source.spooldir;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.Comparator;
import java.util.Optional;

/**
 * The position a {@code spooldir} source commits into its channel with each batch when the
 * channel keeps source markers ({@link io.sluice.api.SourceMarkerChannel}): the file being read
 * and where the batch ends in it, exactly what the position file records after the commit.
 *
 * <p>Format, version 1, big-endian: version (int, 1), then the position file's payload (see
 * {@link PositionFile}).
 *
 * <p>Stateless; thread-safe.
 */
final class SpoolMarker {
    private static final int VERSION = 1;
    private static final Comparator<SpoolDeserializer.Mark> ORDER =
            Comparator.comparingLong(SpoolDeserializer.Mark::offset).thenComparingLong(SpoolDeserializer.Mark::skip);

    private SpoolMarker() {
    }

    static byte[] encode(PositionFile.Position position) {
        byte[] payload = PositionFile.payload(position);
        return ByteBuffer.allocate(4 + payload.length).putInt(VERSION).put(payload).array();
    }

    /**
     * The position in a marker.
     *
     * @throws IllegalArgumentException naming what is wrong when the bytes are not a marker of a
     *     version this code reads
     */
    static PositionFile.Position decode(byte[] marker) {
        ByteBuffer b = ByteBuffer.wrap(marker);
        try {
            int version = b.getInt();
            if (version != VERSION) {
                throw new IllegalArgumentException("spool position marker version " + version
                        + " (this Sluice reads version " + VERSION + ")");
            }
            PositionFile.Position p = PositionFile.readPayload(b);
            if (b.hasRemaining()) {
                throw new IllegalArgumentException("spool position marker has " + b.remaining()
                        + " bytes after its position");
            }
            return p;
        } catch (BufferUnderflowException e) {
            throw new IllegalArgumentException("spool position marker of " + marker.length + " bytes is cut short", e);
        }
    }

    /**
     * The position to resume from, given the position file's and the channel's. The marker is
     * committed with the batch and the position file written just after, so the marker is ahead by
     * the one batch a crash cut off, or equal. The position file is cleared once a file is done,
     * while the marker keeps naming that file, and a marker can be older than the position file
     * when the source ran with another channel in between. So:
     *
     * <ul>
     *   <li>both name the same file, picked up with the same size and time: the further position;</li>
     *   <li>only the marker names a file: the marker, if {@code stillToRead} says its file is still
     *       there, unchanged and not done (else that file was finished after the commit);</li>
     *   <li>otherwise the position file (at worst a batch is read twice, never a line skipped).</li>
     * </ul>
     */
    static Optional<PositionFile.Position> newer(Optional<PositionFile.Position> fromFile,
            Optional<PositionFile.Position> fromMarker, StillToRead stillToRead) {
        if (fromMarker.isEmpty()) {
            return fromFile;
        }
        PositionFile.Position m = fromMarker.get();
        if (fromFile.isEmpty()) {
            return stillToRead.test(m) ? fromMarker : Optional.empty();
        }
        PositionFile.Position f = fromFile.get();
        boolean sameFile = f.file().equals(m.file()) && f.size() == m.size() && f.lastModified() == m.lastModified();
        return sameFile && ORDER.compare(m.mark(), f.mark()) > 0 ? fromMarker : fromFile;
    }

    /** Whether the file of a position is still to be read: present, unchanged since pickup, not done. */
    @FunctionalInterface
    interface StillToRead {
        boolean test(PositionFile.Position position);
    }
}
