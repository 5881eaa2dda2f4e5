package io.sluice.core.agent;

import io.sluice.api.Channel;
import io.sluice.api.Sink;
import io.sluice.api.Source;
import io.sluice.core.channel.DefaultChannelProcessor;
import java.util.List;
import java.util.Map;

/** The components of a validated configuration, built but not started, and the report. */
final class BuiltAgent {
    final ValidationReport report;
    final Map<String, Channel> channels;
    final Map<String, Source> sources;
    final Map<String, DefaultChannelProcessor> channelProcessors;
    final Map<String, Sink> sinks;
    final List<SinkGroup> groups;

    BuiltAgent(ValidationReport report, Map<String, Channel> channels, Map<String, Source> sources,
            Map<String, DefaultChannelProcessor> channelProcessors, Map<String, Sink> sinks, List<SinkGroup> groups) {
        this.report = report;
        this.channels = channels;
        this.sources = sources;
        this.channelProcessors = channelProcessors;
        this.sinks = sinks;
        this.groups = groups;
    }
}
