package io.sluice.api;

import io.sluice.api.config.ConfigProblem;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A sink whose guarantee depends on what feeds its channel, e.g. a Kafka sink that commits the
 * offsets of a Kafka source upstream in its own transaction. Once the whole agent is built, and
 * before anything starts, the agent hands it the wiring around its channel; the sink checks it, keeps
 * what it needs of it (the upstream source) and answers the problems that make its guarantee
 * impossible. Any problem refuses the configuration, as a bad key does.
 */
public interface UpstreamAware {

    /**
     * Checks the set-up around this sink's channel. Called once by the agent's builder thread,
     * before {@code start()}; returns an empty list when the set-up is fine.
     */
    List<ConfigProblem> connectUpstream(Upstream upstream);

    /**
     * The wiring around one sink's channel.
     *
     * @param channelName the channel the sink reads
     * @param sinkKeyPrefix the sink's key prefix, with its trailing dot ({@code a1.sinks.k1.})
     * @param feeders every source that may put into the channel (whatever its selector), in file order
     * @param readers the names of every sink that reads the channel, this one included
     */
    record Upstream(String channelName, String sinkKeyPrefix, List<Feeder> feeders, List<String> readers) {
        public Upstream {
            requireNonNull(channelName, "channelName is null");
            requireNonNull(sinkKeyPrefix, "sinkKeyPrefix is null");
            feeders = List.copyOf(feeders);
            readers = List.copyOf(readers);
        }
    }

    /**
     * A source that feeds the channel.
     *
     * @param name the source's name
     * @param keyPrefix its key prefix, with its trailing dot ({@code a1.sources.r1.})
     * @param source the built source
     * @param channels every channel it writes to
     * @param interceptors the names of its interceptors, in order
     */
    record Feeder(String name, String keyPrefix, Source source, List<String> channels, List<String> interceptors) {
        public Feeder {
            requireNonNull(name, "name is null");
            requireNonNull(keyPrefix, "keyPrefix is null");
            requireNonNull(source, "source is null");
            channels = List.copyOf(channels);
            interceptors = List.copyOf(interceptors);
        }
    }
}
