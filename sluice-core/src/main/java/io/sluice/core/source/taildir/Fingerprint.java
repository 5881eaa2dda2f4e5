package io.sluice.core.source.taildir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * The identity of a file's content: the CRC32C of its first {@code length} bytes (at most
 * {@link #MAX_BYTES}). Two files with the same inode but different fingerprints hold different
 * content (the inode was reused, or the file was truncated and written again); a file whose first
 * bytes match another's fingerprint is a copy of it (copytruncate rotation). Immutable.
 *
 * @param length how many leading bytes the checksum covers (1 to {@link #MAX_BYTES})
 * @param crc    CRC32C of those bytes
 */
record Fingerprint(int length, long crc) {
    /** Bytes a complete fingerprint covers. */
    static final int MAX_BYTES = 256;

    Fingerprint {
        if (length < 1 || length > MAX_BYTES) {
            throw new IllegalArgumentException("fingerprint length: " + length + " (expected: 1.." + MAX_BYTES + ")");
        }
    }

    /** Whether it covers {@link #MAX_BYTES} bytes and will not grow any more. */
    boolean complete() {
        return length == MAX_BYTES;
    }

    /** The fingerprint of the first bytes of an open file, null when the file is empty. */
    static Fingerprint of(FileChannel file) throws IOException {
        long size = file.size();
        if (size <= 0) {
            return null;
        }
        int length = (int) Math.min(size, MAX_BYTES);
        byte[] prefix = prefix(file, length);
        return prefix == null ? null : new Fingerprint(length, crc(prefix));
    }

    /** Whether the file's first {@code length} bytes still have this checksum. */
    boolean matches(FileChannel file) throws IOException {
        byte[] prefix = prefix(file, length);
        return prefix != null && crc(prefix) == crc;
    }

    private static byte[] prefix(FileChannel file, int length) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(length);
        long at = 0;
        while (b.hasRemaining()) {
            int n = file.read(b, at);
            if (n < 0) {
                return null;
            }
            at += n;
        }
        return b.array();
    }

    private static long crc(byte[] bytes) {
        CRC32C c = new CRC32C();
        c.update(bytes);
        return c.getValue();
    }
}
