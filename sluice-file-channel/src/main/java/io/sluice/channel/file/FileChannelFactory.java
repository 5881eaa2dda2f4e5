package io.sluice.channel.file;

import io.sluice.api.Channel;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.metrics.ChannelCounter;
/**
 * Builds {@code type = file} channels (also accepted: Apache Flume's class name). Registered through
 * {@code META-INF/services/io.sluice.api.ComponentFactory}. Stateless and thread-safe.
 */
public final class FileChannelFactory implements ComponentFactory<Channel> {

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.CHANNEL, "file")
            .otherNames("org.apache.flume.channel.file.FileChannel")
            .keys(FileChannelConfig.KEYS)
            .description("Holds events in a write-ahead log on local disk, so they survive a crash or kill -9.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
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
