package io.sluice.core.registry;

import io.sluice.api.ComponentFactory;
import io.sluice.core.channel.memory.MemoryChannelFactory;
import io.sluice.core.selector.LoadBalancingSelectorFactory;
import io.sluice.core.selector.MultiplexingSelectorFactory;
import io.sluice.core.selector.ReplicatingSelectorFactory;
import io.sluice.core.sink.http.HttpSinkFactory;
import io.sluice.core.sink.logger.LoggerSinkFactory;
import io.sluice.core.sink.nullsink.NullSinkFactory;
import io.sluice.core.sinkprocessor.DefaultSinkProcessorFactory;
import io.sluice.core.sinkprocessor.FailoverSinkProcessorFactory;
import io.sluice.core.sinkprocessor.LoadBalancingSinkProcessorFactory;
import io.sluice.core.source.seq.SeqSourceFactory;
import java.util.List;

/**
 * Built-in runtime types: the memory channel, channel selectors, sink processors, and the
 * {@code seq}, {@code logger}, {@code null} and {@code http} components.
 */
final class RuntimeComponents {
    private RuntimeComponents() {
    }

    static List<ComponentFactory<?>> factories() {
        return List.of(
                new MemoryChannelFactory(),
                new ReplicatingSelectorFactory(),
                new MultiplexingSelectorFactory(),
                new LoadBalancingSelectorFactory(),
                new DefaultSinkProcessorFactory(),
                new FailoverSinkProcessorFactory(),
                new LoadBalancingSinkProcessorFactory(),
                new SeqSourceFactory(),
                new LoggerSinkFactory(),
                new NullSinkFactory(),
                new HttpSinkFactory());
    }
}
