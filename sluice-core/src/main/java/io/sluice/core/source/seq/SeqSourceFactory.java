package io.sluice.core.source.seq;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.PollBackoff;
/**
 * The {@code seq} source type ({@code org.apache.flume.source.SequenceGeneratorSource}). Keys:
 * {@code batchSize} (1), {@code totalEvents} (Long.MAX_VALUE), {@code backoffSleepIncrement} (1000),
 * {@code maxBackoffSleep} (5000).
 */
public final class SeqSourceFactory implements ComponentFactory<Source> {
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 1,
            "events per transaction").atLeast(1);
    public static final ConfigKey<Long> TOTAL_EVENTS = ConfigKey.longKey("totalEvents", Long.MAX_VALUE,
            "events to send before stopping").atLeast(0);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "seq")
            .otherNames("org.apache.flume.source.SequenceGeneratorSource")
            .keys(BATCH_SIZE, TOTAL_EVENTS)
            .keys(PollBackoff.KEYS)
            .description("Generates events whose bodies are a counter 0, 1, 2, ...; for tests.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        int batchSize = context.get(BATCH_SIZE);
        long total = context.get(TOTAL_EVENTS);
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        String label = context.label();
        return new SeqSource(context.name(), label, batchSize, total, counter, PollBackoff.read(context));
    }
}
