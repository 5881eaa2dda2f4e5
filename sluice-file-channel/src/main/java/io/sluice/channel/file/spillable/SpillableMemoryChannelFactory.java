package io.sluice.channel.file.spillable;

import io.sluice.api.Channel;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.channel.file.FileChannel;

/**
 * Builds {@code type = SPILLABLEMEMORY} channels (also accepted: Apache Flume's class name).
 * Registered through {@code META-INF/services/io.sluice.api.ComponentFactory}. Stateless and
 * thread-safe.
 */
public final class SpillableMemoryChannelFactory implements ComponentFactory<Channel> {

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.CHANNEL,
                    "SPILLABLEMEMORY")
            .otherNames("org.apache.flume.channel.SpillableMemoryChannel")
            .keys(SpillableMemoryConfig.KEYS)
            .description("Holds events in memory and spills them to a file channel when memory is full; events"
                    + " leave in put order. Only the spilled events survive a crash.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Channel create(ComponentContext context) {
        SpillableMemoryConfig config = SpillableMemoryConfig.read(context);
        if (config == null) {
            return null;
        }
        String label = "[" + context.label() + "]";
        ChannelCounter counter = context.counters().register(new ChannelCounter(context.name()));
        counter.setCapacity((long) config.memoryCapacity() + config.overflowCapacity());
        FileChannel overflow = config.overflow() == null ? null
                : new FileChannel(context.name() + "-overflow", label + " overflow", config.overflow(),
                        new ChannelCounter(context.name() + "-overflow"), context.clock());
        return new SpillableMemoryChannel(context.name(), label, config, counter, overflow, context.clock());
    }
}
