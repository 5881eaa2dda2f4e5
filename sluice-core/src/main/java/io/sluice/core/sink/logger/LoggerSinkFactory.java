package io.sluice.core.sink.logger;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Sink;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SinkCounter;
/** The {@code logger} sink type ({@code org.apache.flume.sink.LoggerSink}). Key: {@code maxBytesToLog} (16). */
public final class LoggerSinkFactory implements ComponentFactory<Sink> {
    public static final ConfigKey<Integer> MAX_BYTES_TO_LOG = ConfigKey.intKey("maxBytesToLog", 16,
            "body bytes shown per event").atLeast(0);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SINK, "logger")
            .otherNames("org.apache.flume.sink.LoggerSink")
            .keys(MAX_BYTES_TO_LOG)
            .description("Logs each event at INFO; for tests and debugging.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Sink create(ComponentContext context) {
        String label = context.label();
        return new LoggerSink(context.name(), label, context.get(MAX_BYTES_TO_LOG),
                context.counters().register(new SinkCounter(context.name())));
    }
}
