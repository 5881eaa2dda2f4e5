package io.sluice.kafka.source;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.metrics.SourceCounter;

/**
 * Builds {@code type = kafka} sources (also Apache Flume's {@code org.apache.flume.source.kafka.KafkaSource}).
 * Registered through {@code META-INF/services/io.sluice.api.ComponentFactory}. Stateless and thread-safe.
 */
public final class KafkaSourceFactory implements ComponentFactory<Source> {
    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "kafka")
            .otherNames("org.apache.flume.source.kafka.KafkaSource")
            .keys(KafkaSourceConfig.KEYS)
            .description("Reads Kafka topics as a consumer group; commits offsets after the channel put"
                    + " (kafka.consumer.* and header.* pass through).")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        KafkaSourceConfig config = KafkaSourceConfig.read(context);
        if (config == null) {
            return null;
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new KafkaSource(context.name(), context.label(), config, counter);
    }
}
