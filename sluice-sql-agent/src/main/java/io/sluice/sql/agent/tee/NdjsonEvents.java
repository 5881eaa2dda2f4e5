package io.sluice.sql.agent.tee;

import io.sluice.api.Event;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

/**
 * Writes events as the tee protocol's ndjson lines, {@code {"headers":{"k":"v",...},"body":"<base64>"}}
 * followed by LF. Header names and values are JSON strings (control characters, quotes and
 * backslashes escaped; everything else UTF-8). Not thread-safe: one per sender.
 */
final class NdjsonEvents {
    private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private static final Base64.Encoder BASE64 = Base64.getEncoder();

    private NdjsonEvents() {
    }

    /** Appends {@code event}'s line to {@code out}. */
    static void write(Event event, ByteArrayOutputStream out) {
        out.write('{');
        ascii(out, "\"headers\":{");
        boolean first = true;
        for (Map.Entry<String, String> h : event.headers().entrySet()) {
            if (!first) {
                out.write(',');
            }
            first = false;
            string(out, h.getKey());
            out.write(':');
            string(out, h.getValue());
        }
        ascii(out, "},\"body\":\"");
        byte[] body = BASE64.encode(event.body());
        out.write(body, 0, body.length);
        ascii(out, "\"}\n");
    }

    private static void ascii(ByteArrayOutputStream out, String s) {
        for (int i = 0; i < s.length(); i++) {
            out.write(s.charAt(i));
        }
    }

    private static void string(ByteArrayOutputStream out, String s) {
        out.write('"');
        int n = s.length();
        int plainFrom = 0;
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\' && c < 0x7f) {
                continue;
            }
            if (c >= 0x7f) {
                continue;
            }
            utf8(out, s, plainFrom, i);
            out.write('\\');
            switch (c) {
                case '"' -> out.write('"');
                case '\\' -> out.write('\\');
                case '\n' -> out.write('n');
                case '\r' -> out.write('r');
                case '\t' -> out.write('t');
                default -> {
                    out.write('u');
                    out.write('0');
                    out.write('0');
                    out.write(HEX[c >> 4]);
                    out.write(HEX[c & 0xf]);
                }
            }
            plainFrom = i + 1;
        }
        utf8(out, s, plainFrom, n);
        out.write('"');
    }

    private static void utf8(ByteArrayOutputStream out, String s, int from, int to) {
        if (from >= to) {
            return;
        }
        boolean ascii = true;
        for (int i = from; i < to; i++) {
            if (s.charAt(i) >= 0x80) {
                ascii = false;
                break;
            }
        }
        if (ascii) {
            for (int i = from; i < to; i++) {
                out.write(s.charAt(i));
            }
        } else {
            byte[] b = s.substring(from, to).getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
        }
    }
}
