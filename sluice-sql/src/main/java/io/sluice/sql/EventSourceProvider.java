package io.sluice.sql;

import io.sluice.api.Event;

import java.util.List;
import java.util.Map;

/**
 * Feeds the events of {@code FROM NODE 'agent.component'}, {@code FROM SOURCE 'type'} and
 * {@code FROM METRICS 'selector'} streams (a metrics stream's events are the JSON lines of the
 * metrics query API's {@code /api/v1/stream}).
 * The engine finds providers through {@link java.util.ServiceLoader} and
 * {@link EngineOptions.Builder#eventSource}; the first that {@link #supports} a stream opens it,
 * once per stream, when the first flow reads it, and closes it when the stream is dropped or the
 * engine closes. Events are read through the stream's event format, like any other. Built in:
 * {@code SOURCE 'seq'} and {@code SOURCE 'netcat'}; a host (the agent or server) provides NODE.
 * Implementations must be thread-safe.
 */
public interface EventSourceProvider {
    /** Where a provider sends events. Thread-safe. */
    interface EventSink {
        void accept(Event event);

        /**
         * Several events at once, in order: the engine parses them once and hands them to every
         * flow reading the stream as one batch. By default, one {@link #accept} per event.
         */
        default void acceptBatch(List<Event> events) {
            for (Event e : events) {
                accept(e);
            }
        }

        /** The source ended (for a finite source): flows reading it close their windows and end. */
        void end();
    }

    /**
     * @param kind   {@code "NODE"}, {@code "SOURCE"} or {@code "METRICS"}
     * @param target the component ({@code agent.component}), source type, or metrics selector
     *               ({@code temperature{dc="jb"}}) of the stream
     */
    boolean supports(String kind, String target);

    /** True if the source ends by itself (then flows reading it end too). */
    default boolean isFinite(String kind, String target, Map<String, String> properties) {
        return false;
    }

    /**
     * Starts delivering events to {@code sink} until the returned handle is closed.
     *
     * @throws Exception with a message naming what was wrong (a bad property, a port in use)
     */
    AutoCloseable open(String kind, String target, Map<String, String> properties, EventSink sink) throws Exception;
}
