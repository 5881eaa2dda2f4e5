package io.sluice.api;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * One unit of data moving through an agent: string headers plus an opaque body.
 *
 * <p>Immutable and thread-safe. The body array is never exposed: {@link #body()} returns a copy,
 * {@link #bodyBuffer()} a read-only view. Use {@link #toBuilder()} to derive a changed event.
 */
public final class Event {
    private static final byte[] EMPTY = new byte[0];
    private static final Map<String, String> NO_HEADERS = Collections.emptyMap();
    /** The class of the JDK's one-entry {@code Map.of(k, v)}: immutable and null-free, so kept as it is. */
    private static final Class<?> ONE_ENTRY_MAP = Map.of("k", "v").getClass();
    /**
     * The class of the JDK's {@code Map.of} and {@code Map.copyOf} maps of other sizes: immutable
     * and null-free too, so kept as they are. A source that gives many events the same headers
     * builds them once with {@code Map.copyOf} and its events share that one map.
     */
    private static final Class<?> IMMUTABLE_MAP = Map.of("k", "v", "k2", "v2").getClass();

    private final Map<String, String> headers;
    private final byte[] body;

    private Event(Map<String, String> headers, byte[] body) {
        this.headers = headers;
        this.body = body;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** An event with no headers and the UTF-8 bytes of {@code text} as its body. */
    public static Event ofString(String text) {
        requireNonNull(text, "text is null");
        return new Event(NO_HEADERS, text.getBytes(StandardCharsets.UTF_8));
    }

    /** An event with the given headers and a copy of {@code body}. */
    public static Event of(Map<String, String> headers, byte[] body) {
        return builder().headers(headers).body(body).build();
    }

    /**
     * An event that takes ownership of {@code body} without copying it. The caller must never
     * change the array afterwards. Meant for hot paths that just allocated the array. The headers
     * are copied, unless {@code headers} was made by {@code Map.of} or {@code Map.copyOf}: such a
     * map is immutable and is shared as it is, so a hot path builds one per group of events.
     */
    public static Event wrap(Map<String, String> headers, byte[] body) {
        requireNonNull(body, "body is null");
        return new Event(freeze(headers), body);
    }

    /**
     * An event that takes ownership of both {@code headers} and {@code body} without copying either:
     * the caller must never change, or keep a way to change, either of them afterwards. For hot
     * paths that build a fresh header map per event (e.g. a Kafka record's headers); names and
     * values are still checked for null. The headers keep the map's iteration order.
     */
    public static Event adopt(Map<String, String> headers, byte[] body) {
        requireNonNull(body, "body is null");
        if (headers == null || headers.isEmpty()) {
            return new Event(NO_HEADERS, body);
        }
        if (headers.size() == 1) {
            return new Event(freeze(headers), body);
        }
        return new Event(Collections.unmodifiableMap(checked(headers)), body);
    }

    /**
     * An event with this event's body (shared, not copied: both are immutable) and a copy of
     * {@code newHeaders}. The cheap way to change only headers, e.g. in an interceptor. A map made
     * by {@code Map.of} or {@code Map.copyOf} is immutable already and is kept without a copy (its
     * {@code get(null)} throws, as such maps do).
     */
    public Event withHeaders(Map<String, String> newHeaders) {
        return new Event(freeze(newHeaders), body);
    }

    /**
     * An event with this event's body (shared) and headers, plus header {@code name} set to
     * {@code value}: replaced in place when the event has it, else added last. What an interceptor
     * that sets one header needs, at the cost of one map: an event without headers gets a one-entry
     * immutable map, others one copy with room for the new header.
     */
    public Event withHeader(String name, String value) {
        requireNonNull(name, "name is null");
        requireNonNull(value, () -> "value of header '" + name + "' is null");
        if (headers.isEmpty()) {
            return new Event(Map.of(name, value), body);
        }
        LinkedHashMap<String, String> h = new LinkedHashMap<>((int) ((headers.size() + 1) / 0.75f) + 1);
        h.putAll(headers);
        h.put(name, value);
        return new Event(Collections.unmodifiableMap(h), body);
    }

    /** Unmodifiable headers, in insertion order. */
    public Map<String, String> headers() {
        return headers;
    }

    /** The value of header {@code name}, or {@code null} when there is none (also for a null name). */
    public String header(String name) {
        return name == null ? null : headers.get(name);
    }

    /** A copy of the body. */
    public byte[] body() {
        return body.length == 0 ? EMPTY : body.clone();
    }

    /** A read-only view of the body, without copying. */
    public ByteBuffer bodyBuffer() {
        return ByteBuffer.wrap(body).asReadOnlyBuffer();
    }

    public int bodyLength() {
        return body.length;
    }

    /** The body decoded as UTF-8 (malformed input is replaced, never thrown). */
    public String bodyAsString() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** Copies the body into {@code dest} at {@code offset}. */
    public void copyBodyTo(byte[] dest, int offset) {
        System.arraycopy(body, 0, dest, offset, body.length);
    }

    /** Approximate heap bytes this event occupies, for byte-capacity accounting. */
    public long estimatedSize() {
        long size = body.length;
        for (Map.Entry<String, String> e : headers.entrySet()) {
            size += e.getKey().length() + e.getValue().length();
        }
        return size;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.headers = headers.isEmpty() ? null : new LinkedHashMap<>(headers);
        b.body = body;
        return b;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof Event)) {
            return false;
        }
        Event other = (Event) o;
        return headers.equals(other.headers) && Arrays.equals(body, other.body);
    }

    @Override
    public int hashCode() {
        return 31 * headers.hashCode() + Arrays.hashCode(body);
    }

    @Override
    public String toString() {
        int shown = Math.min(body.length, 16);
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < shown; i++) {
            hex.append(String.format("%02X ", body[i]));
        }
        return "Event{headers=" + headers + " body.length=" + body.length + " body=" + hex.toString().trim()
                + (body.length > shown ? " ..." : "") + "}";
    }

    private static Map<String, String> freeze(Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return NO_HEADERS;
        }
        if (headers.getClass() == ONE_ENTRY_MAP || headers.getClass() == IMMUTABLE_MAP) {
            return headers; // nobody can change it and it holds no null: no copy needed
        }
        if (headers.size() == 1) { // the common case of one added header: no hash table to build
            Map.Entry<String, String> e = headers.entrySet().iterator().next();
            requireNonNull(e.getKey(), "header name is null");
            requireNonNull(e.getValue(), () -> "header '" + e.getKey() + "' has a null value");
            return Map.of(e.getKey(), e.getValue()); // note: its get(null) throws, unlike LinkedHashMap's
        }
        return Collections.unmodifiableMap(checked(new LinkedHashMap<>(headers)));
    }

    /** {@code headers}, once it is known to hold no null name or value. */
    private static <M extends Map<String, String>> M checked(M headers) {
        for (Map.Entry<String, String> e : headers.entrySet()) {
            requireNonNull(e.getKey(), "header name is null");
            requireNonNull(e.getValue(), () -> "header '" + e.getKey() + "' has a null value");
        }
        return headers;
    }

    /** Builds an {@link Event}. Not thread-safe. */
    public static final class Builder {
        private LinkedHashMap<String, String> headers;
        private byte[] body = EMPTY;

        private Builder() {
        }

        public Builder header(String name, String value) {
            requireNonNull(name, "name is null");
            requireNonNull(value, () -> "value of header '" + name + "' is null");
            if (headers == null) {
                headers = new LinkedHashMap<>();
            }
            headers.put(name, value);
            return this;
        }

        public Builder headers(Map<String, String> all) {
            if (all != null) {
                all.forEach(this::header);
            }
            return this;
        }

        public Builder removeHeader(String name) {
            if (headers != null) {
                headers.remove(name);
            }
            return this;
        }

        /** Copies {@code bytes} into the event. */
        public Builder body(byte[] bytes) {
            requireNonNull(bytes, "body is null");
            this.body = bytes.length == 0 ? EMPTY : bytes.clone();
            return this;
        }

        public Builder body(String text) {
            requireNonNull(text, "body is null");
            this.body = text.getBytes(StandardCharsets.UTF_8);
            return this;
        }

        public Event build() {
            return new Event(headers == null || headers.isEmpty() ? NO_HEADERS
                    : Collections.unmodifiableMap(new LinkedHashMap<>(headers)), body);
        }
    }
}
