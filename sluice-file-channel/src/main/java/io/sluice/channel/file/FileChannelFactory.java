package io.sluice.channel.file;

import io.sluice.api.Channel;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.ChannelCounter;
import java.util.List;

/**
 * Builds {@code type = file} channels (also accepted: Apache Flume's class name). Registered through
 * {@code META-INF/services/io.sluice.api.ComponentFactory}. Stateless and thread-safe.
 */
public final class FileChannelFactory implements ComponentFactory<Channel> {

    @Override
    public ComponentKind kind() {
        return ComponentKind.CHANNEL;
    }

    @Override
    public String alias() {
        return "file";
    }

    @Override
    public List<String> otherNames() {
        return List.of("org.apache.flume.channel.file.FileChannel");
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return FileChannelConfig.KEYS;
    }

    @Override
    public Channel create(ComponentContext context) {
        FileChannelConfig config = FileChannelConfig.read(context);
        if (config == null) {
            return null;
        }
        String label = "[" + context.label() + "]";
        ChannelCounter counter = context.counters().register(new ChannelCounter(context.name()));
        counter.setCapacity(config.capacity());
        return new FileChannel(context.name(), label, config, counter, context.clock());
    }
}
