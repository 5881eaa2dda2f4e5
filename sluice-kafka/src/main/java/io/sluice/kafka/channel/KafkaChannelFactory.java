package io.sluice.kafka.channel;

import io.sluice.api.Channel;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.metrics.ChannelCounter;

/**
 * Builds {@code type = kafka} channels (also Apache Flume's {@code org.apache.flume.channel.kafka.KafkaChannel}).
 * Registered through {@code META-INF/services/io.sluice.api.ComponentFactory}. Stateless and thread-safe.
 */
public final class KafkaChannelFactory implements ComponentFactory<Channel> {
    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.CHANNEL, "kafka")
            .otherNames("org.apache.flume.channel.kafka.KafkaChannel")
            .keys(KafkaChannelConfig.KEYS)
            .description("Holds events in a Kafka topic (Apache Flume's Avro format by default); puts commit after"
                    + " acks=all, takes commit their offsets (kafka.consumer.* and kafka.producer.* pass through).")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Channel create(ComponentContext context) {
        KafkaChannelConfig config = KafkaChannelConfig.read(context);
        if (config == null) {
            return null;
        }
        ChannelCounter counter = context.counters().register(new ChannelCounter(context.name()));
        return new KafkaChannel(context.name(), context.label(), config, counter);
    }
}
