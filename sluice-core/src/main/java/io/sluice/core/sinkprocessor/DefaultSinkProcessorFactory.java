package io.sluice.core.sinkprocessor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.SinkProcessor;
import io.sluice.api.config.ComponentContext;
/** {@code processor.type = default}: the group holds exactly one sink. No keys. */
public final class DefaultSinkProcessorFactory implements ComponentFactory<SinkProcessor> {
    private static final ComponentDescriptor DESCRIPTOR =
            ComponentDescriptor.builder(ComponentKind.SINK_PROCESSOR, "default")
            .otherNames("org.apache.flume.sink.DefaultSinkProcessor")
            .description("Runs a single sink.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public SinkProcessor create(ComponentContext context) {
        return new DefaultSinkProcessor();
    }
}
