package io.sluice.sql.agent.tee;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.sluice.api.Event;
import io.sluice.core.tap.TeeAccept;
import io.sluice.core.tap.TeeFrames;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;

/**
 * Encodes a tee batch's body into one buffer reused from batch to batch: {@link #reset()}, then
 * {@link #write} each event, then {@link #finish()} and send the first {@link #size()} bytes of
 * {@link #buffer()} as {@link #contentType()}. {@link #binary} writes {@value TeeFrames#CONTENT_TYPE}
 * (what agents send) in the version the server announced;
 * {@link #ndjson()} writes one {@code {"headers":{...},"body":"<base64>"}} per line, for servers that
 * do not take the binary form. Not thread-safe: one per sender.
 */
abstract class FrameWriter {
    /** The binary form, {@link TeeFrames} version {@code version} (1 or 2). */
    static FrameWriter binary(int version) {
        return version >= 2 ? new Binary(new TeeFrames.BatchWriter(256 * 1024), 2)
                : new Binary(new TeeFrames.Writer(256 * 1024), 1);
    }

    /** The ndjson form. */
    static FrameWriter ndjson() {
        return new Ndjson();
    }

    abstract String contentType();

    /** The {@link TeeFrames} version written, or 0 for ndjson. */
    abstract int version();

    /** Starts a new body. */
    abstract void reset();

    abstract void write(Event event);

    /** Bytes written since the last {@link #reset()}. */
    abstract int size();

    /** Forgets what was written after {@code sizeBefore} bytes (the last event). */
    abstract void dropLast(int sizeBefore);

    /** Completes the body: call before sending it. */
    void finish() {
    }

    /** The buffer holding the {@link #size()} bytes written (valid until the next write). */
    abstract byte[] buffer();

    private static final class Binary extends FrameWriter {
        private final TeeFrames.Encoder w;
        private final int version;

        Binary(TeeFrames.Encoder w, int version) {
            this.w = w;
            this.version = version;
        }

        @Override
        String contentType() {
            return TeeFrames.CONTENT_TYPE;
        }

        @Override
        int version() {
            return version;
        }

        @Override
        void reset() {
            w.reset();
        }

        @Override
        void write(Event event) {
            w.write(event);
        }

        @Override
        int size() {
            return w.size();
        }

        @Override
        void dropLast(int sizeBefore) {
            w.dropLast(sizeBefore);
        }

        @Override
        void finish() {
            w.finish();
        }

        @Override
        byte[] buffer() {
            return w.buffer();
        }
    }

    private static final class Ndjson extends FrameWriter {
        private static final JsonStringEncoder QUOTE = JsonStringEncoder.getInstance();
        private byte[] buf = new byte[64 * 1024];
        private int size;

        @Override
        String contentType() {
            return TeeAccept.NDJSON;
        }

        @Override
        int version() {
            return 0;
        }

        @Override
        void reset() {
            size = 0;
        }

        @Override
        void write(Event event) {
            put("{\"headers\":{");
            boolean first = true;
            for (Map.Entry<String, String> h : event.headers().entrySet()) {
                put(first ? "\"" : ",\"");
                put(QUOTE.quoteAsUTF8(h.getKey()));
                put("\":\"");
                put(QUOTE.quoteAsUTF8(h.getValue()));
                put("\"");
                first = false;
            }
            put("},\"body\":\"");
            put(Base64.getEncoder().encode(event.body()));
            put("\"}\n");
        }

        private void put(String ascii) {
            ensure(ascii.length());
            for (int i = 0; i < ascii.length(); i++) {
                buf[size++] = (byte) ascii.charAt(i);
            }
        }

        private void put(byte[] b) {
            ensure(b.length);
            System.arraycopy(b, 0, buf, size, b.length);
            size += b.length;
        }

        private void ensure(int more) {
            if (size + more > buf.length) {
                buf = Arrays.copyOf(buf, Math.max(buf.length * 2, size + more));
            }
        }

        @Override
        int size() {
            return size;
        }

        @Override
        void dropLast(int sizeBefore) {
            size = Math.min(size, sizeBefore);
        }

        @Override
        byte[] buffer() {
            return buf;
        }
    }
}
