package io.sluice.core.agent;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * An agent's wiring as data: sources with their channels, selector and interceptors, channels,
 * sinks with their channel, and sink groups with their processor. Served as JSON by the metrics
 * port ({@code GET /topology}) for the web console. Immutable.
 */
public record Topology(List<SourceNode> sources, List<ChannelNode> channels, List<SinkNode> sinks,
        List<GroupNode> groups) {
    /** An agent with no components (a configuration that could not be read). */
    public static final Topology EMPTY = new Topology(List.of(), List.of(), List.of(), List.of());

    public Topology {
        sources = List.copyOf(sources);
        channels = List.copyOf(channels);
        sinks = List.copyOf(sinks);
        groups = List.copyOf(groups);
    }

    /** A source, the channels it puts into, its selector type and its interceptors in order. */
    public record SourceNode(String name, String type, List<String> channels, String selector,
            List<String> interceptors) {
        public SourceNode {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            channels = List.copyOf(channels);
            requireNonNull(selector, "selector is null");
            interceptors = List.copyOf(interceptors);
        }
    }

    public record ChannelNode(String name, String type) {
        public ChannelNode {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /** A sink and the channel it takes from. */
    public record SinkNode(String name, String type, String channel) {
        public SinkNode {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            requireNonNull(channel, "channel is null");
        }
    }

    /** A sink group, its processor type and its sinks. */
    public record GroupNode(String name, String processor, List<String> sinks) {
        public GroupNode {
            requireNonNull(name, "name is null");
            requireNonNull(processor, "processor is null");
            sinks = List.copyOf(sinks);
        }
    }
}
