package com.acme.flume;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.serialization.EventDeserializer;
import org.apache.flume.serialization.ResettableInputStream;

/**
 * A spooldir deserializer: one event per record, records ended by {@code ;} (newlines around them
 * are skipped), each body prefixed with {@code prefix} (default empty) and carrying the header
 * {@code format = semicolon}. Marks and resets through the stream, as Flume's own deserializers do.
 * Not thread-safe.
 */
public class SemicolonDeserializer implements EventDeserializer {
    private final ResettableInputStream in;
    private final String prefix;

    SemicolonDeserializer(Context context, ResettableInputStream in) {
        this.in = in;
        this.prefix = context.getString("prefix", "");
    }

    @Override
    public Event readEvent() throws IOException {
        StringBuilder record = new StringBuilder();
        int c;
        while ((c = in.readChar()) != -1) {
            if (c == ';') {
                return EventBuilder.withBody((prefix + record.toString().strip()).getBytes(StandardCharsets.UTF_8),
                        Map.of("format", "semicolon"));
            }
            record.append((char) c);
        }
        return null; // an unfinished record at the end is not an event
    }

    @Override
    public List<Event> readEvents(int max) throws IOException {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < max; i++) {
            Event e = readEvent();
            if (e == null) {
                break;
            }
            out.add(e);
        }
        return out;
    }

    @Override
    public void mark() throws IOException {
        in.mark();
    }

    @Override
    public void reset() throws IOException {
        in.reset();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }

    /** The class named in {@code deserializer}. */
    public static class Builder implements EventDeserializer.Builder {
        @Override
        public EventDeserializer build(Context context, ResettableInputStream in) {
            return new SemicolonDeserializer(context, in);
        }
    }
}
