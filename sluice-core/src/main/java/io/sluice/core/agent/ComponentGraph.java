package io.sluice.core.agent;

import io.sluice.api.deadletter.DeadLetters;
import java.util.ArrayList;
import java.util.List;

/** Collects the agent's wiring while it is built and renders it as text. Used by one thread. */
final class ComponentGraph {
    private final List<String> sources = new ArrayList<>();
    private final List<String> channels = new ArrayList<>();
    private final List<String> sinks = new ArrayList<>();
    private final List<String> groups = new ArrayList<>();
    private final List<Topology.SourceNode> sourceNodes = new ArrayList<>();
    private final List<Topology.ChannelNode> channelNodes = new ArrayList<>();
    private final List<Topology.SinkNode> sinkNodes = new ArrayList<>();
    private final List<Topology.GroupNode> groupNodes = new ArrayList<>();

    void source(String name, String type, List<String> toChannels, String selector, List<String> interceptors) {
        sourceNodes.add(new Topology.SourceNode(name, type, toChannels, selector, interceptors));
        sources.add("  " + name + " (" + type + ") -> " + String.join(", ", toChannels)
                + (toChannels.size() > 1 || !"replicating".equalsIgnoreCase(selector) ? "  [selector: " + selector + "]" : ""));
    }

    void channel(String name, String type) {
        channelNodes.add(new Topology.ChannelNode(name, type));
        channels.add("  " + name + " (" + type + ")");
    }

    void sink(String name, String type, String fromChannel) {
        sinkNodes.add(new Topology.SinkNode(name, type, fromChannel));
        sinks.add("  " + fromChannel + " -> " + name + " (" + type + ")");
    }

    /** Notes the dead-letter channel of the source or sink added last, if it has one. */
    void deadLetters(DeadLetters deadLetters) {
        if (deadLetters == null) {
            return;
        }
        List<String> last = deadLetters.component().contains(".sinks.") ? sinks : sources;
        if (!last.isEmpty()) {
            last.set(last.size() - 1, last.get(last.size() - 1) + "  [dead letters: " + deadLetters.channelName() + "]");
        }
    }

    void group(String name, String processor, List<String> members) {
        groupNodes.add(new Topology.GroupNode(name, processor, members));
        groups.add("  " + name + " (" + processor + "): " + String.join(", ", members));
    }

    Topology topology() {
        return new Topology(sourceNodes, channelNodes, sinkNodes, groupNodes);
    }

    String render(String agent) {
        StringBuilder sb = new StringBuilder("agent ").append(agent).append('\n');
        section(sb, "sources", sources);
        section(sb, "channels", channels);
        section(sb, "sinks", sinks);
        section(sb, "sink groups", groups);
        return sb.toString();
    }

    private static void section(StringBuilder sb, String title, List<String> lines) {
        if (lines.isEmpty()) {
            return;
        }
        sb.append(' ').append(title).append(":\n");
        for (String l : lines) {
            sb.append(' ').append(l).append('\n');
        }
    }
}
