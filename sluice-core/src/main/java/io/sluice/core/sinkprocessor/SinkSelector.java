package io.sluice.core.sinkprocessor;

import io.sluice.api.Sink;
import java.util.Iterator;
import java.util.List;

/**
 * Orders the sinks of a load-balancing group for one attempt. Implementations named by class in
 * {@code processor.selector} need a public no-arg constructor. Called by one runner thread.
 */
public interface SinkSelector {

    void setSinks(List<Sink> sinks);

    /** The sinks to try, in order, for the next batch; sinks backing off are left out. */
    Iterator<Sink> order();

    /** The sink threw; with backoff on, leave it out for a while. */
    void failed(Sink sink);

    /** The sink processed without throwing. */
    void succeeded(Sink sink);

    /**
     * The sink just tried had nothing to take: a selector that rotates gives the next call the same
     * starting sink, so empty polls do not always land on the same member.
     */
    default void idle() {
    }
}
