package io.sluice.flume.bridge.adapter;

import io.sluice.api.EventDrivenSource;
import io.sluice.flume.bridge.FlumeCounters;
import java.time.Clock;

/** A Flume source that sends from its own threads (any Flume source that is not pollable). */
final class EventDrivenSourceAdapter extends SourceAdapter implements EventDrivenSource {
    EventDrivenSourceAdapter(String name, org.apache.flume.Source plugin, PluginCalls calls, FlumeCounters counters,
            Clock clock) {
        super(name, plugin, calls, counters, clock);
    }
}
