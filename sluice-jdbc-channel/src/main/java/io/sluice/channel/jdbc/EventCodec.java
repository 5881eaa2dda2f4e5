package io.sluice.channel.jdbc;

import io.sluice.api.Event;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The bytes of an event in the {@code PAYLOAD} column of the channel's table, format version 1
 * (numbers big-endian):
 *
 * <pre>
 * byte version 1 | int headerCount | { int keyLen, key UTF-8, int valueLen, value UTF-8 }*headerCount
 * | int bodyLen | body
 * </pre>
 *
 * <p>Stateless and thread-safe.
 */
final class EventCodec {
    static final byte VERSION = 1;

    private EventCodec() {
    }

    static byte[] encode(Event e) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + e.bodyLength());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            Map<String, String> headers = e.headers();
            out.writeInt(headers.size());
            for (Map.Entry<String, String> h : headers.entrySet()) {
                writeString(out, h.getKey());
                writeString(out, h.getValue());
            }
            out.writeInt(e.bodyLength());
            out.write(e.body());
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    /** Decodes {@code payload}; fails with an IOException naming the problem when it is not version 1 or is cut. */
    static Event decode(byte[] payload) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload));
        byte version = in.readByte();
        if (version != VERSION) {
            throw new IOException("event format version " + version + " is not known (expected " + VERSION + ")");
        }
        Event.Builder b = Event.builder();
        int n = in.readInt();
        for (int i = 0; i < n; i++) {
            b.header(readString(in), readString(in));
        }
        byte[] body = new byte[in.readInt()];
        in.readFully(body);
        return b.body(body).build();
    }

    private static String readString(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
