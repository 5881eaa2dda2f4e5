package io.sluice.core.support;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads the small append-only record files components keep beside their data (the taildir
 * position journal, file_roll's exactly-once commit records): each record is a payload length
 * (int), the CRC32C of the payload (int) and the payload, big-endian. Reading stops at the first
 * record that is torn or fails its checksum: the tail a crash can leave behind an append.
 *
 * <p>Stateless; thread-safe.
 */
public final class ChecksummedRecords {
    private ChecksummedRecords() {
    }

    /** The payloads of the intact records of {@code all} from {@code offset}, in order (read-only views). */
    public static List<ByteBuffer> read(byte[] all, int offset) {
        List<ByteBuffer> out = new ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(all, offset, all.length - offset);
        while (b.remaining() >= 8) {
            int length = b.getInt();
            int crc = b.getInt();
            if (length < 1 || length > b.remaining()) {
                break;
            }
            CRC32C c = new CRC32C();
            c.update(all, b.position(), length);
            if ((int) c.getValue() != crc) {
                break;
            }
            out.add(ByteBuffer.wrap(all, b.position(), length).slice().asReadOnlyBuffer());
            b.position(b.position() + length);
        }
        return out;
    }

    /**
     * Fills in the length and checksum of the record that starts at {@code start} of {@code b}'s
     * array (8 bytes reserved there) and whose payload ends at {@code b}'s position.
     */
    public static void seal(ByteBuffer b, int start) {
        int length = b.position() - start - 8;
        CRC32C c = new CRC32C();
        c.update(b.array(), start + 8, length);
        b.putInt(start, length).putInt(start + 4, (int) c.getValue());
    }

    /** Writes what remains of {@code b} at the channel's position, however many writes it takes. */
    public static void writeFully(FileChannel ch, ByteBuffer b) throws IOException {
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }
}
