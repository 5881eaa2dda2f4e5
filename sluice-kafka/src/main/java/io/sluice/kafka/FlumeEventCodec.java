package io.sluice.kafka;

import io.sluice.api.Event;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Apache Flume's {@code AvroFlumeEvent} in Avro binary encoding, the record Flume's Kafka sink writes
 * with {@code useFlumeEventFormat = true} and its Kafka channel with {@code parseAsFlumeEvent = true}:
 *
 * <pre>
 * record AvroFlumeEvent { map&lt;string&gt; headers; bytes body; }
 *
 * headers: one block when there are headers: count (zig-zag varint long), then per header its name and
 *          value as Avro strings (zig-zag varint length, UTF-8 bytes); then 0, the end of the map.
 *          No headers: just 0.
 * body:    zig-zag varint length, then the bytes.
 * </pre>
 *
 * There is no schema fingerprint or container header: the value of a Kafka record is the bare
 * datum. Decoding also accepts what other Avro writers may produce: several blocks, and blocks with a
 * negative count followed by their size in bytes. Stateless and thread-safe.
 */
public final class FlumeEventCodec {

    private FlumeEventCodec() {
    }

    /**
     * The Avro binary encoding of {@code event}: headers in the event's order, then the body. Sized
     * exactly first, then written straight into the one array it returns (the body is copied once).
     */
    public static byte[] encode(Event event) {
        Map<String, String> headers = event.headers();
        int body = event.bodyLength();
        long size = 1 + varLength(body) + (long) body;
        if (!headers.isEmpty()) {
            size += varLength(headers.size());
            for (Map.Entry<String, String> h : headers.entrySet()) {
                size += stringLength(h.getKey()) + stringLength(h.getValue());
            }
        }
        if (size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("an event of " + size + " bytes is too large for one Kafka record");
        }
        byte[] out = new byte[(int) size];
        int pos = 0;
        if (!headers.isEmpty()) {
            pos = writeLong(out, pos, headers.size());
            for (Map.Entry<String, String> h : headers.entrySet()) {
                pos = writeString(out, pos, h.getKey());
                pos = writeString(out, pos, h.getValue());
            }
        }
        pos = writeLong(out, pos, 0);
        pos = writeLong(out, pos, body);
        event.copyBodyTo(out, pos);
        return out;
    }

    /**
     * Reads an event from {@code bytes}; throws {@link IllegalArgumentException} saying where it
     * went wrong when the bytes are not one whole {@code AvroFlumeEvent}.
     */
    public static Event decode(byte[] bytes) {
        Reader r = new Reader(bytes);
        Map<String, String> headers = null; // made for the first header only: most events have none
        while (true) {
            long count = r.readLong();
            if (count == 0) {
                break;
            }
            if (count < 0) {
                count = -count;
                r.readLong(); // the block's size in bytes, not needed to read it
            }
            if (headers == null) {
                headers = new LinkedHashMap<>();
            }
            for (long i = 0; i < count; i++) {
                String name = r.readString();
                headers.put(name, r.readString());
            }
        }
        byte[] body = r.readBytes();
        if (r.pos != bytes.length) {
            throw new IllegalArgumentException("not an Apache Flume Avro event: " + (bytes.length - r.pos)
                    + " byte(s) left after the body at offset " + r.pos);
        }
        return Event.adopt(headers, body); // both made here and never handed out: no copy
    }

    /** Bytes of {@code s} as an Avro string: its length's varint, then its UTF-8 bytes. */
    private static long stringLength(String s) {
        int n = isAscii(s) ? s.length() : s.getBytes(StandardCharsets.UTF_8).length;
        return varLength(n) + (long) n;
    }

    private static int writeString(byte[] out, int pos, String s) {
        if (isAscii(s)) {
            int n = s.length();
            pos = writeLong(out, pos, n);
            for (int i = 0; i < n; i++) {
                out[pos++] = (byte) s.charAt(i);
            }
            return pos;
        }
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        pos = writeLong(out, pos, b.length);
        System.arraycopy(b, 0, out, pos, b.length);
        return pos + b.length;
    }

    private static boolean isAscii(String s) {
        for (int i = 0, n = s.length(); i < n; i++) {
            if (s.charAt(i) >= 0x80) {
                return false;
            }
        }
        return true;
    }

    /** Bytes of {@code v} as an Avro long (zig-zag varint). */
    private static int varLength(long v) {
        long z = (v << 1) ^ (v >> 63);
        int n = 1;
        while ((z & ~0x7FL) != 0) {
            z >>>= 7;
            n++;
        }
        return n;
    }

    private static int writeLong(byte[] out, int pos, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out[pos++] = (byte) ((z & 0x7F) | 0x80);
            z >>>= 7;
        }
        out[pos++] = (byte) z;
        return pos;
    }

    /** A cursor over the bytes of one datum. Not thread-safe. */
    private static final class Reader {
        private final byte[] buf;
        private int pos;

        Reader(byte[] buf) {
            this.buf = buf;
        }

        long readLong() {
            long z = 0;
            int shift = 0;
            while (true) {
                if (pos >= buf.length) {
                    throw new IllegalArgumentException("not an Apache Flume Avro event: it ends inside a number at"
                            + " offset " + pos);
                }
                int b = buf[pos++] & 0xFF;
                z |= (long) (b & 0x7F) << shift;
                if ((b & 0x80) == 0) {
                    break;
                }
                shift += 7;
                if (shift > 63) {
                    throw new IllegalArgumentException("not an Apache Flume Avro event: a number longer than 10"
                            + " bytes at offset " + pos);
                }
            }
            return (z >>> 1) ^ -(z & 1);
        }

        byte[] readBytes() {
            long len = readLong();
            if (len < 0 || len > buf.length - pos) {
                throw new IllegalArgumentException("not an Apache Flume Avro event: a length of " + len
                        + " at offset " + pos + " with " + (buf.length - pos) + " byte(s) left");
            }
            byte[] out = new byte[(int) len];
            System.arraycopy(buf, pos, out, 0, out.length);
            pos += out.length;
            return out;
        }

        String readString() {
            return new String(readBytes(), StandardCharsets.UTF_8);
        }
    }
}
