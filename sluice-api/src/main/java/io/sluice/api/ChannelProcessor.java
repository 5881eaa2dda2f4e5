package io.sluice.api;

import java.util.List;

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
}
