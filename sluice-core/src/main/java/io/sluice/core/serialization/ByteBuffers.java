package io.sluice.core.serialization;

import io.sluice.api.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/** Writes an event body to a stream without an extra copy when the body is array-backed. */
final class ByteBuffers {
    private ByteBuffers() {
    }

    static void write(Event event, OutputStream out) throws IOException {
        ByteBuffer body = event.bodyBuffer();
        if (body.hasArray()) {
            out.write(body.array(), body.arrayOffset() + body.position(), body.remaining());
        } else {
            out.write(event.body());
        }
    }
}
