package io.sluice.core.tap;

import io.sluice.api.Event;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The tee protocol's binary body, {@value #CONTENT_TYPE}: what an agent posts to an rtsql server
 * for each batch of a tee. Every integer is a 4-byte big-endian signed int; strings are UTF-8.
 *
 * <pre>
 * body   = magic event*                       magic = 'S' 'T' 'E' 0x01 (format version 1)
 * event  = length headerCount header* bodyLength bodyBytes
 * header = keyLength keyBytes valueLength valueBytes
 * </pre>
 *
 * {@code length} counts the event's bytes after itself, so a reader can check that the fields
 * inside add up to it. {@link Writer} encodes (on the agent: one reused buffer, bodies copied in
 * bulk, no allocation per event for ASCII headers); {@link #decode} reads a whole body into events
 * (on the server: no JSON tree, one array per body), checking {@link Limits} first and throwing a
 * {@link MalformedBody} that names the event, the byte offset and what was wrong.
 */
public final class TeeFrames {
    /** The HTTP content type of this format. */
    public static final String CONTENT_TYPE = "application/x-sluice-tee";
    /** The bytes every body starts with: "STE" and the format version, 1. */
    static final byte[] MAGIC = {'S', 'T', 'E', 1};
    private static final VarHandle INT = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);
    private static final byte[] NO_BYTES = new byte[0];

    private TeeFrames() {
    }

    /** What a reader accepts: events per body, bytes per event (after its length), headers per event, body bytes. */
    public record Limits(int maxEvents, int maxEventBytes, int maxHeaders, int maxBodyBytes) {
        public Limits {
            if (maxEvents < 1 || maxEventBytes < 1 || maxHeaders < 0 || maxBodyBytes < 0) {
                throw new IllegalArgumentException("limits must be positive: " + maxEvents + ", " + maxEventBytes
                        + ", " + maxHeaders + ", " + maxBodyBytes);
            }
        }
    }

    /** A body that is not this format, or breaks a {@link Limits limit}; the message says where and what. */
    public static final class MalformedBody extends IOException {
        private static final long serialVersionUID = 1L;
        private final boolean overLimit;

        MalformedBody(String message, boolean overLimit) {
            super(message);
            this.overLimit = overLimit;
        }

        /** True when the body is well formed but larger than a limit allows (HTTP 413 rather than 400). */
        public boolean overLimit() {
            return overLimit;
        }
    }

    /**
     * Reads the events of {@code length} bytes of {@code data} from {@code offset}. Each event gets
     * a copy of its body (the array may be reused afterwards).
     */
    public static List<Event> decode(byte[] data, int offset, int length, Limits limits) throws MalformedBody {
        int end = offset + length;
        if (length < MAGIC.length || !Arrays.equals(data, offset, offset + MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new MalformedBody("the body does not start with the " + CONTENT_TYPE + " magic bytes 'STE' 0x01 "
                    + "(format version 1); send events in that format, or as application/x-ndjson", false);
        }
        List<Event> events = new ArrayList<>();
        int p = offset + MAGIC.length;
        while (p < end) {
            int n = events.size() + 1;
            if (n > limits.maxEvents()) {
                throw new MalformedBody("more than " + limits.maxEvents() + " events in one body (at most "
                        + limits.maxEvents() + "); post smaller batches", true);
            }
            int start = p;
            int eventLength = readInt(data, p, end, n, start, "its length");
            p += 4;
            if (eventLength < 8) {
                throw malformed(n, start, "its length " + eventLength + " is less than the 8 bytes of an event "
                        + "with no headers and no body");
            }
            if (eventLength > limits.maxEventBytes()) {
                throw new MalformedBody(where(n, start) + "its length " + eventLength + " exceeds the limit of "
                        + limits.maxEventBytes() + " bytes per event", true);
            }
            if (eventLength > end - p) {
                throw malformed(n, start, "its length says " + eventLength + " bytes but only " + (end - p)
                        + " are left in the body (truncated?)");
            }
            int eventEnd = p + eventLength;
            int headerCount = readCount(data, p, eventEnd, n, start, "header count", limits.maxHeaders(),
                    "headers per event");
            p += 4;
            Map<String, String> headers = headerCount == 0 ? Map.of() : new HashMap<>(headerCount * 4 / 3 + 1);
            for (int h = 0; h < headerCount; h++) {
                int keyLength = readLength(data, p, eventEnd, n, start, "header " + (h + 1) + "'s name");
                p += 4;
                String key = new String(data, p, keyLength, StandardCharsets.UTF_8);
                p += keyLength;
                int valueLength = readLength(data, p, eventEnd, n, start, "header '"
                        + (key.length() > 100 ? key.substring(0, 100) + "..." : key) + "''s value");
                p += 4;
                headers.put(key, new String(data, p, valueLength, StandardCharsets.UTF_8));
                p += valueLength;
            }
            int bodyLength = readCount(data, p, eventEnd, n, start, "body length", limits.maxBodyBytes(),
                    "bytes per body");
            p += 4;
            if (bodyLength != eventEnd - p) {
                throw malformed(n, start, "its body length " + bodyLength + " does not match the " + (eventEnd - p)
                        + " bytes its length leaves for the body");
            }
            byte[] body = bodyLength == 0 ? NO_BYTES : Arrays.copyOfRange(data, p, eventEnd);
            p = eventEnd;
            events.add(Event.wrap(headers, body));
        }
        return events;
    }

    private static int readInt(byte[] data, int p, int end, int n, int start, String what) throws MalformedBody {
        if (end - p < 4) {
            throw malformed(n, start, "it ends before " + what + " (truncated?)");
        }
        return (int) INT.get(data, p);
    }

    /** A count ({@code what}) that must be non-negative and at most {@code limit} (else over the limit). */
    private static int readCount(byte[] data, int p, int end, int n, int start, String what, int limit, String unit)
            throws MalformedBody {
        int v = readInt(data, p, end, n, start, "its " + what);
        if (v < 0) {
            throw malformed(n, start, "its " + what + " " + v + " is negative");
        }
        if (v > limit) {
            throw new MalformedBody(where(n, start) + "its " + what + " " + v + " exceeds the limit of " + limit + " "
                    + unit, true);
        }
        return v;
    }

    /** A string's length, which must be non-negative and fit before {@code end}. */
    private static int readLength(byte[] data, int p, int end, int n, int start, String what) throws MalformedBody {
        int len = readInt(data, p, end, n, start, "the length of " + what);
        if (len < 0) {
            throw malformed(n, start, "the length of " + what + " is negative (" + len + ")");
        }
        if (len > end - p - 4) {
            throw malformed(n, start, "the length of " + what + " is " + len + " bytes but only " + (end - p - 4)
                    + " are left in the event");
        }
        return len;
    }

    private static String where(int n, int start) {
        return "event " + n + " (at byte " + start + "): ";
    }

    private static MalformedBody malformed(int n, int start, String what) {
        return new MalformedBody(where(n, start) + what + "; see the " + CONTENT_TYPE + " format in docs/rtsql-server.md",
                false);
    }

    /**
     * Encodes events into one growable buffer, reused from body to body: {@link #reset()}, then
     * {@link #write} each event, then send the first {@link #size()} bytes of {@link #buffer()}.
     * Not thread-safe: one per sender.
     */
    public static final class Writer {
        private byte[] buf;
        private int size;
        private int events;

        public Writer(int initialCapacity) {
            buf = new byte[Math.max(initialCapacity, 64)];
            reset();
        }

        /** Starts a new body (the magic bytes, no events). */
        public void reset() {
            System.arraycopy(MAGIC, 0, buf, 0, MAGIC.length);
            size = MAGIC.length;
            events = 0;
        }

        /** Bytes written so far, magic included. */
        public int size() {
            return size;
        }

        /** Events written since the last {@link #reset()}. */
        public int events() {
            return events;
        }

        /** The buffer holding the {@link #size()} bytes written so far (valid until the next write). */
        public byte[] buffer() {
            return buf;
        }

        /** The bytes written so far (a copy). */
        public byte[] toByteArray() {
            return Arrays.copyOf(buf, size);
        }

        /** Forgets the last event written (to keep a body under a size). */
        public void dropLast(int sizeBefore) {
            if (sizeBefore < size) {
                size = sizeBefore;
                events--;
            }
        }

        /** Appends {@code event}. */
        public void write(Event event) {
            Map<String, String> headers = event.headers();
            int bodyLength = event.bodyLength();
            ensure(12 + bodyLength);
            int start = size;
            size += 4;
            putInt(headers.size());
            if (!headers.isEmpty()) {
                for (Map.Entry<String, String> h : headers.entrySet()) {
                    string(h.getKey());
                    string(h.getValue());
                }
                ensure(4 + bodyLength);
            }
            putInt(bodyLength);
            event.copyBodyTo(buf, size);
            size += bodyLength;
            INT.set(buf, start, size - start - 4);
            events++;
        }

        private void putInt(int v) {
            INT.set(buf, size, v);
            size += 4;
        }

        private void string(String s) {
            int n = s.length();
            ensure(4 + n);
            int lengthAt = size;
            int p = size + 4;
            byte[] b = buf;
            for (int i = 0; i < n; i++) {
                char c = s.charAt(i);
                if (c >= 0x80) {
                    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
                    size += 4;
                    ensure(utf8.length);
                    INT.set(buf, lengthAt, utf8.length);
                    System.arraycopy(utf8, 0, buf, size, utf8.length);
                    size += utf8.length;
                    return;
                }
                b[p++] = (byte) c;
            }
            INT.set(b, lengthAt, n);
            size = p;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }
    }
}
