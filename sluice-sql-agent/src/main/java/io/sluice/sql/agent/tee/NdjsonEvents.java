package io.sluice.sql.agent.tee;

import io.sluice.api.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes events as the tee protocol's ndjson lines, {@code {"headers":{"k":"v",...},"body":"<base64>"}}
 * followed by LF, into a growable byte buffer the sender reuses from batch to batch (no per-byte
 * locking as with {@code ByteArrayOutputStream}, no copy of the body). Header names and values
 * are JSON strings: control characters, quotes and backslashes escaped, everything else UTF-8.
 * Not thread-safe: one per sender.
 */
final class NdjsonEvents {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] BASE64 =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] OPEN = "{\"headers\":{".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] MIDDLE = "},\"body\":\"".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CLOSE = "\"}\n".getBytes(StandardCharsets.US_ASCII);

    private byte[] buf;
    private int size;

    NdjsonEvents(int initialCapacity) {
        buf = new byte[initialCapacity];
    }

    int size() {
        return size;
    }

    /** Forgets everything written after the first {@code newSize} bytes. */
    void truncate(int newSize) {
        size = newSize;
    }

    void reset() {
        size = 0;
    }

    /** The buffer holding the {@link #size()} bytes written so far (valid until the next write). */
    byte[] buffer() {
        return buf;
    }

    /** The bytes written so far (a copy). */
    byte[] toByteArray() {
        return Arrays.copyOf(buf, size);
    }

    String asString() {
        return new String(buf, 0, size, StandardCharsets.UTF_8);
    }

    private void ensure(int more) {
        if (size + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
        }
    }

    private void raw(byte[] b) {
        ensure(b.length);
        System.arraycopy(b, 0, buf, size, b.length);
        size += b.length;
    }

    /** Appends {@code event}'s line. */
    void write(Event event) {
        raw(OPEN);
        boolean first = true;
        for (Map.Entry<String, String> h : event.headers().entrySet()) {
            if (!first) {
                ensure(1);
                buf[size++] = ',';
            }
            first = false;
            string(h.getKey());
            ensure(1);
            buf[size++] = ':';
            string(h.getValue());
        }
        raw(MIDDLE);
        base64(event.bodyBuffer());
        raw(CLOSE);
    }

    private void base64(ByteBuffer body) {
        int n = body.remaining();
        ensure((n + 2) / 3 * 4);
        int p = body.position();
        int end = p + n - n % 3;
        byte[] out = buf;
        int o = size;
        for (; p < end; p += 3) {
            int v = (body.get(p) & 0xff) << 16 | (body.get(p + 1) & 0xff) << 8 | body.get(p + 2) & 0xff;
            out[o++] = BASE64[v >>> 18];
            out[o++] = BASE64[v >>> 12 & 0x3f];
            out[o++] = BASE64[v >>> 6 & 0x3f];
            out[o++] = BASE64[v & 0x3f];
        }
        int rest = n % 3;
        if (rest == 1) {
            int v = (body.get(p) & 0xff) << 16;
            out[o++] = BASE64[v >>> 18];
            out[o++] = BASE64[v >>> 12 & 0x3f];
            out[o++] = '=';
            out[o++] = '=';
        } else if (rest == 2) {
            int v = (body.get(p) & 0xff) << 16 | (body.get(p + 1) & 0xff) << 8;
            out[o++] = BASE64[v >>> 18];
            out[o++] = BASE64[v >>> 12 & 0x3f];
            out[o++] = BASE64[v >>> 6 & 0x3f];
            out[o++] = '=';
        }
        size = o;
    }

    private void string(String s) {
        int n = s.length();
        ensure(n * 6 + 2);
        buf[size++] = '"';
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                buf[size++] = (byte) c;
            } else if (c >= 0x80) {
                // the rest of the string holds non-ASCII text: encode it as UTF-8 (escaping control characters)
                String tail = s.substring(i);
                stringSlow(tail);
                buf[size++] = '"';
                return;
            } else {
                escape(c);
            }
        }
        buf[size++] = '"';
    }

    private void stringSlow(String s) {
        StringBuilder plain = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == '"' || c == '\\' || c == 0x7f) {
                flush(plain);
                ensure(6);
                escape(c);
            } else {
                plain.append(c);
            }
        }
        flush(plain);
        ensure(1);
    }

    private void flush(StringBuilder plain) {
        if (plain.length() > 0) {
            raw(plain.toString().getBytes(StandardCharsets.UTF_8));
            plain.setLength(0);
        }
    }

    private void escape(char c) {
        buf[size++] = '\\';
        switch (c) {
            case '"' -> buf[size++] = '"';
            case '\\' -> buf[size++] = '\\';
            case '\n' -> buf[size++] = 'n';
            case '\r' -> buf[size++] = 'r';
            case '\t' -> buf[size++] = 't';
            default -> {
                buf[size++] = 'u';
                buf[size++] = '0';
                buf[size++] = '0';
                buf[size++] = HEX[c >> 4 & 0xf];
                buf[size++] = HEX[c & 0xf];
            }
        }
    }
}
