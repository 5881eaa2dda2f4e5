package io.sluice.api;

import java.util.ArrayList;
import java.util.List;

/**
 * Changes or drops events on the source side, before they are put into channels. Interceptors of
 * a source run in their configured order. Must be thread-safe: a source may call it from several
 * threads.
 */
public interface Interceptor {

    default void initialize() {
    }

    /** The changed event, or {@code null} to drop it. */
    Event intercept(Event event);

    /** Intercepts each event; the result leaves out dropped ones and keeps the order. */
    default List<Event> intercept(List<Event> events) {
        List<Event> out = new ArrayList<>(events.size());
        for (Event e : events) {
            Event r = intercept(e);
            if (r != null) {
                out.add(r);
            }
        }
        return out;
    }

    default void close() {
    }
}
