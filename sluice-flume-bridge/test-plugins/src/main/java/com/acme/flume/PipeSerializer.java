package com.acme.flume;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.serialization.EventSerializer;

/**
 * Writes {@code <value of header>|<body>} per line, the header named by {@code header} (default
 * {@code seq}), and a first line {@code banner} when set. With {@code required = true} an event
 * without that header cannot be written: {@code write} throws before writing anything, as a
 * serializer that cannot represent an event does. Not thread-safe (one per file).
 */
public class PipeSerializer implements EventSerializer {
    private final OutputStream out;
    private final String header;
    private final String banner;
    private final boolean required;

    PipeSerializer(OutputStream out, String header, String banner, boolean required) {
        this.out = out;
        this.header = header;
        this.banner = banner;
        this.required = required;
    }

    @Override
    public void afterCreate() throws IOException {
        if (banner != null) {
            out.write((banner + "\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    @Override
    public void afterReopen() {
    }

    @Override
    public void write(Event event) throws IOException {
        String v = event.getHeaders().get(header);
        if (v == null && required) {
            throw new IllegalArgumentException("event has no '" + header + "' header");
        }
        out.write(((v == null ? "-" : v) + "|").getBytes(StandardCharsets.UTF_8));
        out.write(event.getBody());
        out.write('\n');
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }

    @Override
    public void beforeClose() {
    }

    @Override
    public boolean supportsReopen() {
        return true;
    }

    /** Named as {@code serializer = com.acme.flume.PipeSerializer$Builder}. */
    public static class Builder implements EventSerializer.Builder {
        @Override
        public EventSerializer build(Context context, OutputStream out) {
            return new PipeSerializer(out, context.getString("header", "seq"), context.getString("banner"),
                    context.getBoolean("required", false));
        }
    }
}
