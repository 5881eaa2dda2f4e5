package io.sluice.core.sinkprocessor;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.SinkProcessor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.List;

/** {@code processor.type = default}: the group holds exactly one sink. No keys. */
public final class DefaultSinkProcessorFactory implements ComponentFactory<SinkProcessor> {
    @Override
    public ComponentKind kind() {
        return ComponentKind.SINK_PROCESSOR;
    }

    @Override
    public String alias() {
        return "default";
    }

    @Override
    public List<String> otherNames() {
        return List.of("org.apache.flume.sink.DefaultSinkProcessor");
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of();
    }

    @Override
    public SinkProcessor create(ComponentContext context) {
        return new DefaultSinkProcessor();
    }
}
