package io.sluice.kafka.sink;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Sink;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.metrics.SinkCounter;

/**
 * Builds {@code type = kafka} sinks (also Apache Flume's {@code org.apache.flume.sink.kafka.KafkaSink}).
 * Registered through {@code META-INF/services/io.sluice.api.ComponentFactory}. Stateless and thread-safe.
 */
public final class KafkaSinkFactory implements ComponentFactory<Sink> {
    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SINK, "kafka")
            .otherNames("org.apache.flume.sink.kafka.KafkaSink")
            .keys(KafkaSinkConfig.KEYS)
            .description("Produces events to a Kafka topic and commits the take after the acknowledgements (acks=all);"
                    + " exactly-once topic to topic with kafka.exactlyOnce (kafka.producer.* and header.* pass through).")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Sink create(ComponentContext context) {
        KafkaSinkConfig config = KafkaSinkConfig.read(context);
        if (config == null) {
            return null;
        }
        SinkCounter counter = context.counters().register(new SinkCounter(context.name()));
        return new KafkaSink(context.name(), context.label(), config, counter);
    }
}
