package io.sluice.kafka;

import io.sluice.api.Event;
import java.io.ByteArrayOutputStream;
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

    /** The Avro binary encoding of {@code event}: headers in the event's order, then the body. */
    public static byte[] encode(Event event) {
        Map<String, String> headers = event.headers();
        int body = event.bodyLength();
        ByteArrayOutputStream out = new ByteArrayOutputStream(body + 16 + headers.size() * 24);
        if (!headers.isEmpty()) {
            writeLong(out, headers.size());
            for (Map.Entry<String, String> h : headers.entrySet()) {
                writeString(out, h.getKey());
                writeString(out, h.getValue());
            }
        }
        writeLong(out, 0);
        writeLong(out, body);
        out.write(event.body(), 0, body);
        return out.toByteArray();
    }

    /**
     * Reads an event from {@code bytes}; throws {@link IllegalArgumentException} saying where it
     * went wrong when the bytes are not one whole {@code AvroFlumeEvent}.
     */
    public static Event decode(byte[] bytes) {
        Reader r = new Reader(bytes);
        Map<String, String> headers = new LinkedHashMap<>();
        while (true) {
            long count = r.readLong();
            if (count == 0) {
                break;
            }
            if (count < 0) {
                count = -count;
                r.readLong(); // the block's size in bytes, not needed to read it
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
        return Event.wrap(headers, body);
    }

    private static void writeString(ByteArrayOutputStream out, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        writeLong(out, b.length);
        out.write(b, 0, b.length);
    }

    private static void writeLong(ByteArrayOutputStream out, long v) {
        long z = (v << 1) ^ (v >> 63);
        while ((z & ~0x7FL) != 0) {
            out.write((int) ((z & 0x7F) | 0x80));
            z >>>= 7;
        }
        out.write((int) z);
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
