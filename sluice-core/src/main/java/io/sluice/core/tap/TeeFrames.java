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
 * for each batch of a tee. Strings are UTF-8. Two versions, told apart by the magic's last byte;
 * a reader takes both, a writer sends version 2 only to a server that announced it
 * ({@link TeeAccept#binaryVersion()}), else version 1.
 *
 * <p>Version 1, one event after the other (every integer a 4-byte big-endian signed int):
 * <pre>
 * body   = magic event*                       magic = 'S' 'T' 'E' 0x01
 * event  = length headerCount header* bodyLength bodyBytes
 * header = keyLength keyBytes valueLength valueBytes
 * </pre>
 * {@code length} counts the event's bytes after itself, so a reader can check that the fields
 * inside add up to it.
 *
 * <p>Version 2, laid out by the batch ({@code int32} a 4-byte big-endian signed int, {@code varint}
 * an unsigned LEB128 int of at most 5 bytes):
 * <pre>
 * body    = magic count bodyBytes bodies lengths setCount set* refs    magic = 'S' 'T' 'E' 0x02
 * count     int32: the events of the body
 * bodyBytes int32: the bytes of all bodies together
 * bodies    the events' bodies back to back (bodyBytes bytes)
 * lengths   count varints: each event's body length, in order (they add up to bodyBytes)
 * setCount  varint: the distinct header sets of the body (0 when no event has headers)
 * set       pairCount(varint) then pairCount times: keyLength(varint) keyBytes valueLength(varint) valueBytes
 * refs      only when setCount &gt; 0: count varints, each event's header set (0: none, k: the k-th set)
 * </pre>
 * Events of one source mostly carry no headers or the same few: each distinct set is written and
 * read once per body, and its events share one map on the server. The body ends right after the
 * last field.
 *
 * <p>{@link Writer} encodes version 1 and {@link BatchWriter} version 2 (on the agent: one reused
 * buffer, bodies copied in bulk); {@link #decode} reads a whole body of either version into events
 * (on the server: no JSON tree, one array per body), checking {@link Limits} first and throwing a
 * {@link MalformedBody} that names the event (or field), the byte offset and what was wrong. Header
 * bytes that are not valid UTF-8 are read as U+FFFD, as everywhere else events are decoded.
 */
public final class TeeFrames {
    /** The HTTP content type of this format. */
    public static final String CONTENT_TYPE = "application/x-sluice-tee";
    /** The bytes every version 1 body starts with: "STE" and the format version, 1. */
    static final byte[] MAGIC = {'S', 'T', 'E', 1};
    /** The bytes every version 2 body starts with. */
    static final byte[] MAGIC_V2 = {'S', 'T', 'E', 2};
    /** The newest version this class reads and writes. */
    public static final int VERSION = 2;
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
        if (length >= MAGIC_V2.length && Arrays.equals(data, offset, offset + MAGIC_V2.length, MAGIC_V2, 0,
                MAGIC_V2.length)) {
            return decodeV2(data, offset, length, limits);
        }
        int end = offset + length;
        if (length < MAGIC.length || !Arrays.equals(data, offset, offset + MAGIC.length, MAGIC, 0, MAGIC.length)) {
            throw new MalformedBody("the body does not start with the " + CONTENT_TYPE + " magic bytes 'STE' 0x01 "
                    + "or 'STE' 0x02 (format versions 1 and 2); send events in one of them, or as "
                    + "application/x-ndjson", false);
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

    /** Reads a version 2 body (the magic already checked). */
    private static List<Event> decodeV2(byte[] data, int offset, int length, Limits limits) throws MalformedBody {
        Cursor c = new Cursor(data, offset + MAGIC_V2.length, offset + length);
        if (c.left() < 8) {
            throw malformedV2(c.p, "it ends before the event count and the bodies' size (truncated?)");
        }
        int count = (int) INT.get(data, c.p);
        int bodyBytes = (int) INT.get(data, c.p + 4);
        if (count < 0) {
            throw malformedV2(c.p, "its event count " + count + " is negative");
        }
        if (count > limits.maxEvents()) {
            throw new MalformedBody("more than " + limits.maxEvents() + " events in one body (" + count + ", at most "
                    + limits.maxEvents() + "); post smaller batches", true);
        }
        c.p += 8;
        if (bodyBytes < 0 || bodyBytes > c.left()) {
            throw malformedV2(c.p - 4, "its bodies' size " + bodyBytes + " does not fit the " + c.left()
                    + " bytes left in the body (truncated?)");
        }
        int bodies = c.p;
        c.p += bodyBytes;
        int[] lengths = new int[count];
        long sum = 0;
        int maxBody = limits.maxBodyBytes();
        for (int i = 0; i < count; i++) {
            int at = c.p;
            int v = c.p < c.end && data[c.p] >= 0 ? data[c.p++] : c.varint("an event's body length");
            if (v > maxBody) {
                throw new MalformedBody("event " + (i + 1) + " (length at byte " + at + "): its body length " + v
                        + " exceeds the limit of " + maxBody + " bytes per body", true);
            }
            lengths[i] = v;
            sum += v;
        }
        if (sum != bodyBytes) {
            throw malformedV2(bodies - 4, "the bodies' size " + bodyBytes + " is not the " + sum
                    + " bytes the events' body lengths add up to");
        }
        int sets = c.varint("the header set count");
        if (sets > count) {
            throw malformedV2(c.p, "its header set count " + sets + " is more than its " + count + " events");
        }
        @SuppressWarnings("unchecked")
        Map<String, String>[] maps = new Map[sets + 1];
        maps[0] = Map.of();
        int[] setBytes = new int[sets + 1];
        for (int s = 1; s <= sets; s++) {
            int setStart = c.p;
            int pairs = c.varint("the size of header set " + s);
            if (pairs > limits.maxHeaders()) {
                throw new MalformedBody("header set " + s + " (at byte " + setStart + "): its " + pairs + " headers "
                        + "exceed the limit of " + limits.maxHeaders() + " headers per event", true);
            }
            Map<String, String> m = new HashMap<>(pairs * 4 / 3 + 1);
            for (int i = 0; i < pairs; i++) {
                String key = c.string("name");
                m.put(key, c.string("value"));
            }
            setBytes[s] = c.p - setStart;
            if (setBytes[s] > limits.maxEventBytes()) {
                throw new MalformedBody("header set " + s + " (at byte " + setStart + "): its " + setBytes[s]
                        + " bytes exceed the limit of " + limits.maxEventBytes() + " bytes per event", true);
            }
            maps[s] = Map.copyOf(m); // immutable: the events of this set share it as it is
        }
        Event[] events = new Event[count];
        int b = bodies;
        int maxEvent = limits.maxEventBytes();
        for (int i = 0; i < count; i++) {
            int ref = 0;
            if (sets > 0) {
                int at = c.p;
                ref = c.varint("event's header set");
                if (ref > sets) {
                    throw malformedV2(at, "event " + (i + 1) + "'s header set " + ref + " is not one of the " + sets
                            + " sets of the body");
                }
            }
            int len = lengths[i];
            if (len + (long) setBytes[ref] > maxEvent) {
                throw new MalformedBody("event " + (i + 1) + ": its " + len + " body bytes and " + setBytes[ref]
                        + " header bytes exceed the limit of " + maxEvent + " bytes per event", true);
            }
            events[i] = Event.wrap(maps[ref], len == 0 ? NO_BYTES : Arrays.copyOfRange(data, b, b + len));
            b += len;
        }
        if (c.p != c.end) {
            throw malformedV2(c.p, c.left() + " byte(s) follow the last field of the body");
        }
        return Arrays.asList(events);
    }

    private static MalformedBody malformedV2(int at, String what) {
        return new MalformedBody("at byte " + at + ": " + what + "; see the " + CONTENT_TYPE + " format (version 2) "
                + "in docs/rtsql-server.md", false);
    }

    /** A read position in a version 2 body. */
    private static final class Cursor {
        final byte[] data;
        final int end;
        int p;

        Cursor(byte[] data, int p, int end) {
            this.data = data;
            this.p = p;
            this.end = end;
        }

        int left() {
            return end - p;
        }

        /** An unsigned LEB128 varint of at most 5 bytes that fits an int; {@code what} names it in errors. */
        int varint(String what) throws MalformedBody {
            int start = p;
            long v = 0;
            for (int shift = 0; shift < 35; shift += 7) {
                if (p >= end) {
                    throw malformedV2(start, what + " is cut off (truncated?)");
                }
                byte b = data[p++];
                v |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    if (v > Integer.MAX_VALUE) {
                        break;
                    }
                    return (int) v;
                }
            }
            throw malformedV2(start, what + " is not a varint of at most 5 bytes that fits a 32-bit int");
        }

        /** A header set's name or value: its varint length, then its UTF-8 bytes. */
        String string(String which) throws MalformedBody {
            int len = varint("the length of a header " + which);
            if (len > left()) {
                throw malformedV2(p, "a header " + which + " of " + len + " bytes where only "
                        + left() + " are left in the body (truncated?)");
            }
            String s = new String(data, p, len, StandardCharsets.UTF_8);
            p += len;
            return s;
        }
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

    /** What both versions' writers do: one reusable body at a time. Not thread-safe. */
    public interface Encoder {
        /** Starts a new body. */
        void reset();

        /** Appends {@code event}. */
        void write(Event event);

        /** The bytes the body has (once finished), as far as written. */
        int size();

        /** Forgets the last event written when the size before it, {@code sizeBefore}, is less than now. */
        void dropLast(int sizeBefore);

        /** Completes the body; then it is {@link #buffer()}'s first {@link #size()} bytes. */
        void finish();

        /** The buffer holding the body. */
        byte[] buffer();

        /** Finishes the body (if not yet) and returns a copy of it. */
        default byte[] toByteArray() {
            finish();
            return Arrays.copyOf(buffer(), size());
        }
    }

    /** The buffer and event count both writers keep. */
    private abstract static class Body implements Encoder {
        byte[] buf;
        int events;

        Body(int initialCapacity) {
            buf = new byte[Math.max(initialCapacity, 64)];
        }

        /** Events written since the last {@link #reset()}. */
        public int events() {
            return events;
        }

        /** The buffer holding the body once {@link #finish() finished} (valid until the next write). */
        @Override
        public byte[] buffer() {
            return buf;
        }
    }

    /**
     * Encodes events into one growable buffer, reused from body to body: {@link #reset()}, then
     * {@link #write} each event, then send the first {@link #size()} bytes of {@link #buffer()}.
     * Not thread-safe: one per sender.
     */
    public static final class Writer extends Body {
        private int size;

        public Writer(int initialCapacity) {
            super(initialCapacity);
            reset();
        }

        /** Starts a new body (the magic bytes, no events). */
        @Override
        public void reset() {
            System.arraycopy(MAGIC, 0, buf, 0, MAGIC.length);
            size = MAGIC.length;
            events = 0;
        }

        /** Bytes written so far, magic included. */
        @Override
        public int size() {
            return size;
        }

        /** Forgets the last event written (to keep a body under a size). */
        @Override
        public void dropLast(int sizeBefore) {
            if (sizeBefore < size) {
                size = sizeBefore;
                events--;
            }
        }

        /** Nothing to complete in version 1: the body is whole after every write. */
        @Override
        public void finish() {
        }

        /** Appends {@code event}. */
        @Override
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

    /**
     * Encodes events into a version 2 body in one growable buffer, reused from body to body:
     * {@link #reset()}, then {@link #write} each event (its body is copied in bulk straight to its
     * place), then {@link #finish()} and send the first {@link #size()} bytes of {@link #buffer()}.
     * {@link #size()} is the size the body will have once finished, at every step. A header set is
     * written once per body: events carrying the very map of the event before them cost an identity
     * check, events with no headers nothing. Not thread-safe: one per sender.
     */
    public static final class BatchWriter extends Body {
        private static final int PREFIX = MAGIC_V2.length + 8;
        private int[] lengths = new int[1024];
        /** Each event's header set; only non-zero entries are written (the array is zero past the body's events). */
        private int[] refs = new int[1024];
        private int bodyBytes;
        /** The bytes the body lengths' varints take beyond one each. */
        private int lengthExtra;
        /** The bytes the header set references' varints take beyond one each. */
        private int refExtra;
        /** The header sets written, encoded back to back in {@link #sets}; {@link #setEnds} where each ends. */
        private final Map<Map<String, String>, Integer> setIndex = new HashMap<>();
        private final List<Map<String, String>> setMaps = new ArrayList<>();
        private byte[] sets = new byte[256];
        private int[] setEnds = new int[16];
        private int setCount;
        /** The headers of the last event written and their set (an identity cache). */
        private Map<String, String> lastHeaders;
        private int lastRef;
        /** Whether the last event written added a header set (undone with it by {@link #dropLast}). */
        private boolean lastAddedSet;
        private boolean finished;

        public BatchWriter(int initialCapacity) {
            super(initialCapacity);
            reset();
        }

        /** Starts a new body (no events). */
        @Override
        public void reset() {
            if (setCount > 0) {
                Arrays.fill(refs, 0, events, 0);
            }
            events = 0;
            bodyBytes = 0;
            lengthExtra = 0;
            refExtra = 0;
            setIndex.clear();
            setMaps.clear();
            setCount = 0;
            lastHeaders = null;
            lastAddedSet = false;
            finished = false;
        }

        /** The bytes the body has once finished, as far as written. */
        @Override
        public int size() {
            int size = PREFIX + bodyBytes + events + lengthExtra;
            return setCount == 0 ? size + 1 : size + varintSize(setCount) + setEnds[setCount - 1] + events + refExtra;
        }

        /** Appends {@code event}. */
        @Override
        public void write(Event event) {
            if (finished) {
                throw new IllegalStateException("the body is finished; reset() before writing another");
            }
            int length = event.bodyLength();
            int at = PREFIX + bodyBytes;
            if (at + length > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, at + length + 64));
            }
            event.copyBodyTo(buf, at);
            int n = events;
            if (n == lengths.length) {
                lengths = Arrays.copyOf(lengths, n * 2);
                refs = Arrays.copyOf(refs, n * 2);
            }
            lengths[n] = length;
            bodyBytes += length;
            if (length >= 0x80) {
                lengthExtra += varintSize(length) - 1;
            }
            Map<String, String> headers = event.headers();
            if (headers == lastHeaders) {
                lastAddedSet = false;
                if (lastRef != 0) {
                    setRef(n, lastRef);
                }
            } else {
                int ref = ref(headers);
                if (ref != 0) {
                    setRef(n, ref);
                }
            }
            events = n + 1;
        }

        private void setRef(int n, int ref) {
            refs[n] = ref;
            if (ref >= 0x80) {
                refExtra += varintSize(ref) - 1;
            }
        }

        private int ref(Map<String, String> headers) {
            lastAddedSet = false;
            int ref;
            if (headers.isEmpty()) {
                ref = 0;
            } else {
                Integer known = setIndex.get(headers);
                if (known != null) {
                    ref = known;
                } else {
                    ref = addSet(headers);
                    lastAddedSet = true;
                }
            }
            lastHeaders = headers;
            lastRef = ref;
            return ref;
        }

        private int addSet(Map<String, String> headers) {
            int p = setCount == 0 ? 0 : setEnds[setCount - 1];
            p = setVarint(p, headers.size());
            for (Map.Entry<String, String> h : headers.entrySet()) {
                p = setString(p, h.getKey());
                p = setString(p, h.getValue());
            }
            if (setCount == setEnds.length) {
                setEnds = Arrays.copyOf(setEnds, setCount * 2);
            }
            setEnds[setCount++] = p;
            setMaps.add(headers);
            setIndex.put(headers, setCount);
            return setCount;
        }

        /**
         * Forgets the last event written (to keep a body under a size), when {@code sizeBefore}, the
         * {@link #size()} before it was written, is less than the size now.
         */
        @Override
        public void dropLast(int sizeBefore) {
            if (sizeBefore >= size() || events == 0 || finished) {
                return;
            }
            int n = --events;
            int length = lengths[n];
            bodyBytes -= length;
            if (length >= 0x80) {
                lengthExtra -= varintSize(length) - 1;
            }
            int ref = refs[n];
            if (ref >= 0x80) {
                refExtra -= varintSize(ref) - 1;
            }
            refs[n] = 0;
            if (lastAddedSet) {
                setCount--;
                setIndex.remove(setMaps.remove(setCount));
                lastAddedSet = false;
            }
            lastHeaders = null;
        }

        /** Writes the fields after the bodies; then the body is {@link #buffer()}'s first {@link #size()} bytes. */
        @Override
        public void finish() {
            if (finished) {
                return;
            }
            int size = size();
            if (size > buf.length) {
                buf = Arrays.copyOf(buf, size);
            }
            byte[] b = buf;
            System.arraycopy(MAGIC_V2, 0, b, 0, MAGIC_V2.length);
            INT.set(b, MAGIC_V2.length, events);
            INT.set(b, MAGIC_V2.length + 4, bodyBytes);
            int p = PREFIX + bodyBytes;
            int[] lens = lengths;
            for (int i = 0; i < events; i++) {
                int v = lens[i];
                if (v < 0x80) {
                    b[p++] = (byte) v;
                } else {
                    p = putVarint(b, p, v);
                }
            }
            p = putVarint(b, p, setCount);
            if (setCount > 0) {
                int setsLength = setEnds[setCount - 1];
                System.arraycopy(sets, 0, b, p, setsLength);
                p += setsLength;
                for (int i = 0; i < events; i++) {
                    p = putVarint(b, p, refs[i]);
                }
            }
            if (p != size) {
                throw new IllegalStateException("wrote " + p + " bytes, expected " + size);
            }
            finished = true;
        }

        private int setVarint(int p, int v) {
            if (p + 5 > sets.length) {
                sets = Arrays.copyOf(sets, Math.max(sets.length * 2, p + 5));
            }
            return TeeFrames.putVarint(sets, p, v);
        }

        private int setString(int p, String s) {
            byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
            p = setVarint(p, utf8.length);
            if (p + utf8.length > sets.length) {
                sets = Arrays.copyOf(sets, Math.max(sets.length * 2, p + utf8.length));
            }
            System.arraycopy(utf8, 0, sets, p, utf8.length);
            return p + utf8.length;
        }
    }

    /** Writes {@code v} (not negative) as an unsigned LEB128 varint at {@code p}; returns the position after it. */
    static int putVarint(byte[] b, int p, int v) {
        while ((v & ~0x7f) != 0) {
            b[p++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        b[p++] = (byte) v;
        return p;
    }

    /** The bytes of {@code v} (not negative) as a varint. */
    static int varintSize(int v) {
        return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
    }
}
