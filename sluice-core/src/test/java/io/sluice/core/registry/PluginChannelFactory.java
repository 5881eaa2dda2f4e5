package io.sluice.core.registry;

import io.sluice.api.Channel;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import java.util.List;

/** A third-party-style factory registered through META-INF/services in the test class path. */
public final class PluginChannelFactory implements ComponentFactory<Channel> {
    @Override
    public ComponentKind kind() {
        return ComponentKind.CHANNEL;
    }

    @Override
    public String alias() {
        return "registry-test-plugin";
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of();
    }

    @Override
    public Channel create(ComponentContext context) {
        return new MemoryChannel(context.name(), context.name(), 10, 10, 0, 0, new ChannelCounter(context.name()));
    }
}
