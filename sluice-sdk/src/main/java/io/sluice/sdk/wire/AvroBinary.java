package io.sluice.sdk.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * Avro binary encoding primitives over Netty buffers: zig-zag varints, strings, bytes, booleans
 * and block counts. Readers check every declared length against the readable bytes and throw
 * {@link WireFormatException} instead of allocating for a length that was never sent.
 *
 * <p>Stateless and thread-safe.
 */
public final class AvroBinary {

    private AvroBinary() {
    }

    public static void writeLong(ByteBuf out, long value) {
        long n = (value << 1) ^ (value >> 63);
        while ((n & ~0x7FL) != 0) {
            out.writeByte((int) ((n & 0x7F) | 0x80));
            n >>>= 7;
        }
        out.writeByte((int) n);
    }

    public static void writeInt(ByteBuf out, int value) {
        writeLong(out, value);
    }

    public static void writeBoolean(ByteBuf out, boolean value) {
        out.writeByte(value ? 1 : 0);
    }

    /** Writes a string as its UTF-8 length and bytes. */
    public static void writeString(ByteBuf out, CharSequence value) {
        int len = ByteBufUtil.utf8Bytes(value);
        writeLong(out, len);
        if (len > 0) {
            out.ensureWritable(len);
            ByteBufUtil.reserveAndWriteUtf8(out, value, len);
        }
    }

    public static void writeBytes(ByteBuf out, byte[] value) {
        writeLong(out, value.length);
        out.writeBytes(value);
    }

    public static long readLong(ByteBuf in) {
        long raw = 0;
        int shift = 0;
        while (true) {
            if (!in.isReadable()) {
                throw new WireFormatException("truncated varint at offset " + in.readerIndex());
            }
            int b = in.readByte();
            raw |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new WireFormatException("varint longer than 10 bytes at offset " + in.readerIndex());
            }
        }
        return (raw >>> 1) ^ -(raw & 1);
    }

    public static int readInt(ByteBuf in) {
        long v = readLong(in);
        if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
            throw new WireFormatException("int value " + v + " out of range at offset " + in.readerIndex());
        }
        return (int) v;
    }

    public static boolean readBoolean(ByteBuf in) {
        if (!in.isReadable()) {
            throw new WireFormatException("truncated boolean at offset " + in.readerIndex());
        }
        int b = in.readByte();
        if (b != 0 && b != 1) {
            throw new WireFormatException("boolean byte " + b + " is neither 0 nor 1");
        }
        return b == 1;
    }

    /** Reads a length and checks that that many bytes are readable. */
    public static int readLength(ByteBuf in, String what) {
        long len = readLong(in);
        if (len < 0 || len > in.readableBytes()) {
            throw new WireFormatException(what + " length " + len + " exceeds the " + in.readableBytes()
                    + " bytes left in the request");
        }
        return (int) len;
    }

    public static String readString(ByteBuf in) {
        int len = readLength(in, "string");
        if (len == 0) {
            return "";
        }
        String s = in.toString(in.readerIndex(), len, StandardCharsets.UTF_8);
        in.skipBytes(len);
        return s;
    }

    public static byte[] readBytes(ByteBuf in) {
        int len = readLength(in, "bytes");
        byte[] b = new byte[len];
        in.readBytes(b);
        return b;
    }

    /**
     * Reads the count of the next map or array block (skipping a negative count's byte size) and
     * checks that {@code minItemBytes} per item are readable.
     */
    public static int readBlockCount(ByteBuf in, int minItemBytes, String what) {
        long count = readLong(in);
        if (count < 0) {
            count = -count;
            readLong(in); // block size in bytes, not needed
        }
        if (count < 0 || count > in.readableBytes() / Math.max(1, minItemBytes)) {
            throw new WireFormatException(what + " block of " + count + " items cannot fit in the "
                    + in.readableBytes() + " bytes left in the request");
        }
        return (int) count;
    }
}
