package io.sluice.sql;

import io.sluice.api.Event;

import java.util.List;
import java.util.Map;

/**
 * Feeds the events of {@code FROM NODE 'agent.component'}, {@code FROM SOURCE 'type'} and
 * {@code FROM METRICS 'selector'} streams (a metrics stream's events are the JSON lines of the
 * metrics query API's {@code /api/v1/stream}), and {@code FROM KAFKA TOPIC 't'} streams.
 * The engine finds providers through {@link java.util.ServiceLoader} and
 * {@link EngineOptions.Builder#eventSource}; the first that {@link #supports} a stream opens it,
 * once per stream, when the first flow reads it, and closes it when the stream is dropped or the
 * engine closes. Events are read through the stream's event format, like any other. Built in:
 * {@code SOURCE 'seq'}; the {@code sluice-sql-agent} module provides every other SOURCE type (the
 * agent's real sources: {@code netcat}, {@code http}, ...) and METRICS; a host (the server) provides
 * NODE; the {@code sluice-sql-kafka} module provides KAFKA.
 *
 * <p><b>Partitioned sources</b> (KAFKA): a source whose events come in independent partitions hands
 * each event with its partition ({@link EventSink#accept(Event, int)}). The engine then keeps the
 * watermark and the window state of each partition apart, as if each partition were read by its
 * own copy of the flow, so partitions can move between engines: {@link EventSink#progress} says up
 * to where a partition's events have been emitted, {@link EventSink#resume} starts a partition
 * again from a point another engine reached, and {@link EventSink#revoke} forgets a partition's
 * state without emitting it. A stream fed this way is read by at most one flow at a time.
 *
 * <p>Implementations must be thread-safe.
 */
public interface EventSourceProvider {
    /**
     * How far the flow reading a partition has got. {@code heldFrom}: the earliest event time that
     * some window not yet emitted still holds ({@link Long#MAX_VALUE} when none); an event of the
     * partition with an earlier time has had every window it touches emitted (or was rejected or
     * late). {@code watermark}: the partition's watermark ({@link Long#MIN_VALUE} before its first
     * event): every window ending at or before it has been emitted.
     */
    record Progress(long heldFrom, long watermark) {
        /** A running flow holds nothing of the partition (nothing delivered, or all of it emitted). */
        public static final Progress NONE = new Progress(Long.MAX_VALUE, Long.MIN_VALUE);
        /** Nothing may be taken as emitted: the flow stopped, or none reads the stream. */
        public static final Progress ALL_HELD = new Progress(Long.MIN_VALUE, Long.MIN_VALUE);
    }

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

        /**
         * Delivers an event of partition {@code partition} (see the class comment). Returns the event
         * time the stream gave it, or {@link Long#MIN_VALUE} if it was rejected (nothing holds it).
         * The event has gone through the flow's operators when this returns.
         */
        default long accept(Event event, int partition) {
            accept(event);
            return Long.MIN_VALUE;
        }

        /**
         * The progress of {@code partition}; {@link Progress#NONE} when no flow holds anything of it.
         * The default says everything is held, so nothing is ever taken as done.
         */
        default Progress progress(int partition) {
            return Progress.ALL_HELD;
        }

        /**
         * Starts {@code partition} afresh with its watermark at {@code watermark} (the watermark the
         * engine that read it before had when it recorded its progress): windows ending at or before
         * it were emitted there and are not emitted again; events re-read for them count as late.
         * Forgets any state the partition had here. Call it before the partition's first event.
         */
        default void resume(int partition, long watermark) {
        }

        /** Forgets {@code partition}'s window state without emitting it (another engine reads it now). */
        default void revoke(int partition) {
        }

        /** The source ended (for a finite source): flows reading it close their windows and end. */
        void end();

        /**
         * The source cannot go on (the peer it reads from refused it for good, as a revoked token):
         * every flow reading the stream fails with {@code cause}, whose message says what to fix, and
         * the source is closed. Events handed in afterwards are ignored.
         */
        void fail(Exception cause);
    }

    /**
     * @param kind   {@code "NODE"}, {@code "SOURCE"}, {@code "METRICS"} or {@code "KAFKA"}
     * @param target the component ({@code agent.component}), source type, metrics selector
     *               ({@code temperature{dc="jb"}}) or topic of the stream
     */
    boolean supports(String kind, String target);

    /**
     * Checks a stream's PROPERTIES when it is declared; each problem names the key, the value, the
     * rule and the fix. The default finds none (problems then show when a flow opens the source).
     */
    default List<String> check(String kind, String target, Map<String, String> properties) {
        return List.of();
    }

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
