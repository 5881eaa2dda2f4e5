package io.sluice.core.agent;

import io.sluice.api.Sink;
import io.sluice.api.SinkProcessor;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The sinks one runner thread drives through one processor: a configured sink group, or a single
 * sink that is in no group (with the default processor). Immutable.
 */
final class SinkGroup {
    final String name;
    final String label;
    final String processorType;
    final SinkProcessor processor;
    final List<Sink> sinks;

    SinkGroup(String name, String label, String processorType, SinkProcessor processor, List<Sink> sinks) {
        this.name = requireNonNull(name, "name is null");
        this.label = requireNonNull(label, "label is null");
        this.processorType = requireNonNull(processorType, "processorType is null");
        this.processor = requireNonNull(processor, "processor is null");
        this.sinks = List.copyOf(sinks);
    }
}
