package io.sluice.core.agent;

import io.sluice.api.Channel;
import io.sluice.api.Sink;
import io.sluice.api.Source;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.channel.DefaultChannelProcessor;
import java.util.List;
import java.util.Map;

/**
 * The components of a validated configuration, built but not started, and the report. On reload,
 * {@link #channels} holds the running instances of channels that are kept, while
 * {@link #builtChannels} holds what the factories built from the new keys (the size a kept memory
 * channel takes). {@link #properties} are the agent's resolved keys; {@link #counterGroups} lists
 * the counter groups each component registered, by the component's label ({@code a1.sources.r1}).
 */
final class BuiltAgent {
    final ValidationReport report;
    final Map<String, String> properties;
    final Map<String, Channel> channels;
    final Map<String, Channel> builtChannels;
    final Map<String, Source> sources;
    final Map<String, DefaultChannelProcessor> channelProcessors;
    final Map<String, Sink> sinks;
    final List<SinkGroup> groups;
    final Map<String, List<CounterGroup>> counterGroups;

    BuiltAgent(ValidationReport report, Map<String, String> properties, Map<String, Channel> channels,
            Map<String, Channel> builtChannels, Map<String, Source> sources,
            Map<String, DefaultChannelProcessor> channelProcessors, Map<String, Sink> sinks, List<SinkGroup> groups,
            Map<String, List<CounterGroup>> counterGroups) {
        this.report = report;
        this.properties = properties;
        this.channels = channels;
        this.builtChannels = builtChannels;
        this.sources = sources;
        this.channelProcessors = channelProcessors;
        this.sinks = sinks;
        this.groups = groups;
        this.counterGroups = counterGroups;
    }
}
