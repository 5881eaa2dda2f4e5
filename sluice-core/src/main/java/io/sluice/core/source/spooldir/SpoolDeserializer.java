package io.sluice.core.source.spooldir;

import io.sluice.api.Event;
import java.io.Closeable;
import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Turns one spooled file into events. A deserializer reports a {@link Mark} after the events it
 * has returned; the source persists the mark of the last committed batch and, after a rollback or
 * a restart, {@link #reset(Mark) resets} to it, so reading continues exactly after the committed
 * events. Built-in deserializers live in this package; a plugin's (such as an Apache Flume
 * {@code EventDeserializer} through the plugin bridge) comes from a {@link SpoolDeserializerFactory}.
 * Used by one thread; not thread-safe.
 */
public interface SpoolDeserializer extends Closeable {

    /**
     * Up to {@code max} events carrying {@code headers} (the file and basename headers, or none);
     * an empty list at the end of the file.
     */
    List<Event> readEvents(int max, Map<String, String> headers) throws IOException;

    /** Where reading stands after the last returned event. */
    Mark mark();

    /** Continues reading right after the events that {@code mark} was taken after. */
    void reset(Mark mark) throws IOException;

    /**
     * A position in a file: a byte offset, and for record formats the number of records to skip
     * after it (Avro blocks can only be entered at their start). Immutable.
     *
     * @param offset  byte offset in the file
     * @param skip    records to skip after {@code offset}
     */
    record Mark(long offset, long skip) {
        public static final Mark START = new Mark(0, 0);

        public Mark {
            if (offset < 0 || skip < 0) {
                throw new IllegalArgumentException("mark: offset " + offset + ", skip " + skip + " (expected: >= 0)");
            }
        }
    }
}
