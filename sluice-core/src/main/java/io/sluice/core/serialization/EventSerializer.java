package io.sluice.core.serialization;

import io.sluice.api.Event;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes events to one output stream that a sink owns. The sink calls {@link #afterCreate()} once
 * on a new file, {@link #write} per event, {@link #flush()} before it commits a batch, and
 * {@link #beforeClose()} before it closes the stream. The serializer never closes the stream.
 *
 * <p>Not thread-safe: used by the sink's runner thread only.
 */
public interface EventSerializer {

    /** Called once after the stream was opened on a new, empty file (writes a file header if any). */
    void afterCreate() throws IOException;

    /** Called after the stream was opened on an existing file; only if {@link #supportsReopen()}. */
    void afterReopen() throws IOException;

    void write(Event event) throws IOException;

    /** Pushes everything buffered by the serializer into the stream. */
    void flush() throws IOException;

    /** Called once before the sink closes the stream (writes a trailer if any). */
    void beforeClose() throws IOException;

    /** Whether appending to a file written earlier keeps it readable. */
    boolean supportsReopen();

    /** Makes serializers over streams; built once from the configuration. Immutable and thread-safe. */
    @FunctionalInterface
    interface Builder {
        EventSerializer build(OutputStream out);
    }
}
