package io.sluice.channel.jdbc;

import io.sluice.api.Channel;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.metrics.ChannelCounter;

/**
 * Builds {@code type = jdbc} channels (also accepted: Apache Flume's class name). Registered through
 * {@code META-INF/services/io.sluice.api.ComponentFactory}. Stateless and thread-safe.
 */
public final class JdbcChannelFactory implements ComponentFactory<Channel> {

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.CHANNEL, "jdbc")
            .otherNames("org.apache.flume.channel.jdbc.JdbcChannel")
            .keys(JdbcChannelConfig.KEYS)
            .description("Holds events as rows of a database table (embedded Derby by default, any JDBC URL); each"
                    + " commit is a database commit, so events survive a crash or kill -9.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Channel create(ComponentContext context) {
        JdbcChannelConfig config = JdbcChannelConfig.read(context);
        if (config == null) {
            return null;
        }
        ChannelCounter counter = context.counters().register(new ChannelCounter(context.name()));
        counter.setCapacity(config.maximumCapacity());
        return new JdbcChannel(context.name(), "[" + context.label() + "]", config, counter, context.clock());
    }
}
