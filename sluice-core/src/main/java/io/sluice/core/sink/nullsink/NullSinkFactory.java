package io.sluice.core.sink.nullsink;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Sink;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SinkCounter;
/** The {@code null} sink type ({@code org.apache.flume.sink.NullSink}). Key: {@code batchSize} (100). */
public final class NullSinkFactory implements ComponentFactory<Sink> {
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 100,
            "events per transaction").atLeast(1);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SINK, "null")
            .otherNames("org.apache.flume.sink.NullSink")
            .keys(BATCH_SIZE)
            .description("Takes events from its channel and discards them.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Sink create(ComponentContext context) {
        int batchSize = context.get(BATCH_SIZE);
        return new NullSink(context.name(), context.label(), batchSize,
                context.counters().register(new SinkCounter(context.name())));
    }
}
