package io.sluice.core.sink.nullsink;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Sink;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SinkCounter;
import java.util.List;

/** The {@code null} sink type ({@code org.apache.flume.sink.NullSink}). Key: {@code batchSize} (100). */
public final class NullSinkFactory implements ComponentFactory<Sink> {
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 100,
            "events per transaction").atLeast(1);

    @Override
    public ComponentKind kind() {
        return ComponentKind.SINK;
    }

    @Override
    public String alias() {
        return "null";
    }

    @Override
    public List<String> otherNames() {
        return List.of("org.apache.flume.sink.NullSink");
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(BATCH_SIZE);
    }

    @Override
    public Sink create(ComponentContext context) {
        int batchSize = context.get(BATCH_SIZE);
        return new NullSink(context.name(), context.label(), batchSize,
                context.counters().register(new SinkCounter(context.name())));
    }
}
