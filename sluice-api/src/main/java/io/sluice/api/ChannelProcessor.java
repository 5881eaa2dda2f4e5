package io.sluice.api;

import java.util.List;
import java.util.Optional;

/**
 * What a source writes to: runs the interceptors, asks the selector for the channels, and puts
 * the events into each channel in its own transaction. A call returns only after the events are
 * committed to every required channel; otherwise it throws and nothing is committed to the
 * required channels (failures of optional channels are logged and counted, never thrown).
 *
 * <p>Thread-safe.
 */
public interface ChannelProcessor {

    /** Commits one event; throws {@link ChannelFullException} under back-pressure. */
    void processEvent(Event event);

    /** Commits the whole batch atomically per required channel. */
    void processEventBatch(List<Event> events);

    /**
     * The one channel that receives every event of this source, when it can commit a source
     * marker with the puts ({@link SourceMarkerChannel}); empty when the events go to several
     * channels (a replicating selector with more than one channel, optional channels, a
     * multiplexing selector) or to a channel without markers (memory). A source that finds one may
     * use {@link #processEventBatch(List, String, byte[])} to commit its read position atomically
     * with its events.
     */
    default Optional<SourceMarkerChannel> markerChannel() {
        return Optional.empty();
    }

    /**
     * Like {@link #processEventBatch(List)}, and commits {@code marker} under {@code owner} in the
     * same transaction (also when the interceptors dropped every event). Only allowed when
     * {@link #markerChannel()} is present.
     *
     * @throws UnsupportedOperationException when this processor has no marker channel
     */
    default void processEventBatch(List<Event> events, String owner, byte[] marker) {
        throw new UnsupportedOperationException("this channel processor has no channel that keeps source markers;"
                + " check markerChannel() first");
    }
}
