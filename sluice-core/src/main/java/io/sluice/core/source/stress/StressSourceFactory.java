package io.sluice.core.source.stress;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.PollBackoff;
/**
 * The stress source: type {@code org.apache.flume.source.StressSource} (Apache Flume has no alias
 * for it) or {@code stress}. Keys, with Flume's names and defaults: {@code size} (500 bytes),
 * {@code maxTotalEvents} (-1), {@code maxSuccessfulEvents} (-1), {@code batchSize} (1),
 * {@code maxEventsPerSecond} (0: unlimited).
 */
public final class StressSourceFactory implements ComponentFactory<Source> {
    public static final ConfigKey<Integer> SIZE = ConfigKey.intKey("size", 500, "Body size of each event, in bytes.")
            .atLeast(0);
    public static final ConfigKey<Long> MAX_TOTAL_EVENTS = ConfigKey.longKey("maxTotalEvents", -1L,
            "Events to attempt before stopping; -1 never stops.").atLeast(-1);
    public static final ConfigKey<Long> MAX_SUCCESSFUL_EVENTS = ConfigKey.longKey("maxSuccessfulEvents", -1L,
            "Committed events after which the source stops; -1 never stops.").atLeast(-1);
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 1,
            "Events per transaction.").atLeast(1);
    public static final ConfigKey<Long> MAX_EVENTS_PER_SECOND = ConfigKey.longKey("maxEventsPerSecond", 0L,
            "Rate limit; 0 is unlimited.").atLeast(0);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "stress")
            .otherNames("org.apache.flume.source.StressSource")
            .keys(SIZE, MAX_TOTAL_EVENTS, MAX_SUCCESSFUL_EVENTS, BATCH_SIZE, MAX_EVENTS_PER_SECOND)
            .keys(PollBackoff.KEYS)
            .description("Generates events of a fixed size as fast as allowed; for load tests.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        int size = context.get(SIZE);
        long maxTotal = context.get(MAX_TOTAL_EVENTS);
        long maxSuccessful = context.get(MAX_SUCCESSFUL_EVENTS);
        int batchSize = context.get(BATCH_SIZE);
        long maxEps = context.get(MAX_EVENTS_PER_SECOND);
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new StressSource(context.name(), size, batchSize, maxTotal, maxSuccessful, maxEps, counter,
                context.clock(), PollBackoff.read(context));
    }
}
