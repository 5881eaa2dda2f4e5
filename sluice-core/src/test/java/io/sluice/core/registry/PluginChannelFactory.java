package io.sluice.core.registry;

import io.sluice.api.Channel;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.core.channel.memory.MemoryChannel;
/** A third-party-style factory registered through META-INF/services in the test class path. */
public final class PluginChannelFactory implements ComponentFactory<Channel> {
    private static final ComponentDescriptor DESCRIPTOR =
            ComponentDescriptor.builder(ComponentKind.CHANNEL, "registry-test-plugin")
            .description("Test channel registered as a ServiceLoader plugin.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Channel create(ComponentContext context) {
        return new MemoryChannel(context.name(), context.name(), 10, 10, 0, 0, new ChannelCounter(context.name()));
    }
}
