package io.sluice.core.channel;

import io.sluice.api.Channel;
import java.util.Optional;
import java.util.Set;

/**
 * A channel that a reload can resize while it runs, keeping the events it holds and its counters
 * (the memory channel). Implementations are thread-safe: a resize may happen while sources put and
 * sinks take.
 */
public interface ResizableChannel extends Channel {

    /** The keys (relative to the channel, e.g. {@code capacity}) whose change can be applied in place. */
    Set<String> resizableKeys();

    /**
     * Takes the sizes of {@code rebuilt}, a channel of the same type built from the changed keys and
     * never started, when what this channel holds fits them.
     *
     * @return empty when the new sizes apply; otherwise why not (then nothing changed)
     */
    Optional<String> resizeLike(Channel rebuilt);
}
