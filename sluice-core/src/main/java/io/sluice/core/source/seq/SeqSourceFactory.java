package io.sluice.core.source.seq;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.PollBackoff;
import java.util.ArrayList;
import java.util.List;

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

    @Override
    public ComponentKind kind() {
        return ComponentKind.SOURCE;
    }

    @Override
    public String alias() {
        return "seq";
    }

    @Override
    public List<String> otherNames() {
        return List.of("org.apache.flume.source.SequenceGeneratorSource");
    }

    @Override
    public List<ConfigKey<?>> keys() {
        List<ConfigKey<?>> keys = new ArrayList<>(List.of(BATCH_SIZE, TOTAL_EVENTS));
        keys.addAll(PollBackoff.KEYS);
        return List.copyOf(keys);
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
