package io.sluice.core.sinkprocessor;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.SinkProcessor;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code processor.type = failover}. Keys: {@code processor.priority.<sink>} (an integer, larger
 * is preferred), {@code processor.maxpenalty} (30000 ms): the longest a failed sink is set aside.
 */
public final class FailoverSinkProcessorFactory implements ComponentFactory<SinkProcessor> {
    public static final ConfigKey<Long> MAX_PENALTY = ConfigKey.longKey("maxpenalty", 30000L,
            "the longest a failed sink is set aside, in milliseconds").atLeast(0);
    public static final ConfigKey<String> PRIORITY = ConfigKey.stringKey("priority.", null,
            "priority.<sink> = an integer; larger is preferred");

    private static final ComponentDescriptor DESCRIPTOR =
            ComponentDescriptor.builder(ComponentKind.SINK_PROCESSOR, "failover")
            .otherNames("org.apache.flume.sink.FailoverSinkProcessor")
            .keys(MAX_PENALTY, PRIORITY)
            .description("Sends through the working sink of highest priority; a failed sink waits out a penalty.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public SinkProcessor create(ComponentContext context) {
        long maxPenalty = context.get(MAX_PENALTY);
        Map<String, Integer> priorities = new LinkedHashMap<>();
        context.subProperties("priority.").forEach((sink, value) -> {
            try {
                priorities.put(sink, Integer.parseInt(value.trim()));
            } catch (NumberFormatException e) {
                context.problem("priority." + sink, value, "must be an integer",
                        "set " + context.fullKey("priority." + sink) + " to a whole number (larger is preferred)");
            }
        });
        String label = context.keyPrefix().substring(0, context.keyPrefix().length() - ".processor.".length());
        return new FailoverSinkProcessor(label, priorities, maxPenalty, context.clock());
    }
}
