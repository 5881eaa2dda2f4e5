package io.sluice.channel.file.log;

import io.sluice.api.Event;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes the payload of a PUT record (see {@link LogFormat}) into an {@link Event}. Stateless and
 * thread-safe.
 */
public final class RecordDecoder {
    private RecordDecoder() {
    }

    /**
     * Decodes a PUT payload at {@code at} of {@code length} bytes. Throws
     * {@link IllegalArgumentException} when the payload's inner lengths do not add up.
     */
    public static Event decodePut(byte[] b, int at, int length) {
        int end = at + length;
        int p = at;
        int headerCount = RecordEncoder.getInt(b, p);
        p += 4;
        if (headerCount < 0 || headerCount > length / 8) {
            throw new IllegalArgumentException("header count " + headerCount + " does not fit the record");
        }
        Map<String, String> headers = null;
        if (headerCount > 0) {
            headers = new LinkedHashMap<>(headerCount * 2);
            for (int i = 0; i < headerCount; i++) {
                int kl = checkedLength(b, p, end);
                String k = new String(b, p + 4, kl, StandardCharsets.UTF_8);
                p += 4 + kl;
                int vl = checkedLength(b, p, end);
                String v = new String(b, p + 4, vl, StandardCharsets.UTF_8);
                p += 4 + vl;
                headers.put(k, v);
            }
        }
        int bl = checkedLength(b, p, end);
        byte[] body = new byte[bl];
        System.arraycopy(b, p + 4, body, 0, bl);
        if (p + 4 + bl != end) {
            throw new IllegalArgumentException("PUT payload has " + (end - p - 4 - bl) + " trailing bytes");
        }
        return Event.wrap(headers, body);
    }

    private static int checkedLength(byte[] b, int p, int end) {
        if (p + 4 > end) {
            throw new IllegalArgumentException("PUT payload ends inside a length field");
        }
        int n = RecordEncoder.getInt(b, p);
        if (n < 0 || p + 4 + n > end) {
            throw new IllegalArgumentException("PUT payload field length " + n + " runs past the record");
        }
        return n;
    }
}
