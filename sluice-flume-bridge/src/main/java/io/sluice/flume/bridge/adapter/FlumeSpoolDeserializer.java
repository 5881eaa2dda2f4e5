package io.sluice.flume.bridge.adapter;

import io.sluice.api.Event;
import io.sluice.core.source.spooldir.SpoolDeserializer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flume.serialization.EventDeserializer;

import static java.util.Objects.requireNonNull;

/**
 * An Apache Flume {@link EventDeserializer} as the spooldir source's deserializer. Sluice's marks
 * are Flume's: {@link #mark()} is called after a batch is committed and calls the plugin's
 * {@code mark()}, which marks the stream; the stream's mark position is what the source persists.
 * {@link #reset} puts that position back as the stream's mark and calls the plugin's
 * {@code reset()}, after a rollback or when a file is resumed after a restart. The plugin runs with
 * its own class loader as the thread's context class loader. Not thread-safe.
 */
final class FlumeSpoolDeserializer implements SpoolDeserializer {
    private final EventDeserializer flume;
    private final FlumeSpoolStream stream;
    private final ClassLoader loader;

    FlumeSpoolDeserializer(EventDeserializer flume, FlumeSpoolStream stream, ClassLoader loader) {
        this.flume = requireNonNull(flume, "flume is null");
        this.stream = requireNonNull(stream, "stream is null");
        this.loader = requireNonNull(loader, "loader is null");
    }

    @Override
    public List<Event> readEvents(int max, Map<String, String> headers) throws IOException {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            List<org.apache.flume.Event> read = flume.readEvents(max);
            List<Event> out = new ArrayList<>(read.size());
            for (org.apache.flume.Event e : read) {
                if (e == null) {
                    continue;
                }
                if (headers.isEmpty()) {
                    out.add(Events.toSluice(e));
                } else {
                    Map<String, String> h = new LinkedHashMap<>(e.getHeaders());
                    h.putAll(headers); // the file and basename headers, as Flume's spooldir source adds them
                    out.add(Events.wrap(h, e.getBody()));
                }
            }
            return out;
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    @Override
    public Mark mark() {
        try {
            flume.mark();
        } catch (IOException e) {
            throw new UncheckedIOException("the Flume deserializer " + flume.getClass().getName()
                    + " could not mark its position: " + e.getMessage(), e);
        }
        return new Mark(stream.getMarkPosition(), 0);
    }

    @Override
    public void reset(Mark mark) throws IOException {
        stream.markPosition(mark.offset());
        flume.reset();
    }

    @Override
    public void close() throws IOException {
        try {
            flume.close();
        } finally {
            stream.close();
        }
    }
}
