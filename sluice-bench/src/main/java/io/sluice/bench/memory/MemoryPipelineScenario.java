package io.sluice.bench.memory;

import io.sluice.bench.BenchContext;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.harness.SideBySideAgents;
import java.util.List;

/**
 * {@code memory-pipeline}: a {@code seq} source (batchSize 1000) puts into a {@code memory}
 * channel (capacity 1,000 batches, transactionCapacity one batch) drained by a {@code null} sink
 * (batchSize 1000). Measured at the channel's {@code EventTakeSuccessCount}: every committed take
 * is an event the sink has delivered. (Apache Flume's null sink keeps no counter group of its own,
 * so the channel's take counter is the one both products report the same way.)
 */
public final class MemoryPipelineScenario implements Scenario {

    /** The configuration, identical for both products. */
    public static final String CONFIG = String.join("\n",
            "a1.sources = r1",
            "a1.channels = c1",
            "a1.sinks = k1",
            "a1.sources.r1.type = seq",
            "a1.sources.r1.batchSize = 1000",
            "a1.sources.r1.channels = c1",
            "a1.channels.c1.type = memory",
            "a1.channels.c1.capacity = 1000000",
            "a1.channels.c1.transactionCapacity = 1000",
            "a1.sinks.k1.type = null",
            "a1.sinks.k1.batchSize = 1000",
            "a1.sinks.k1.channel = c1",
            "");

    @Override
    public String name() {
        return "memory-pipeline";
    }

    @Override
    public String description() {
        return "seq (batch 1000) -> memory channel -> null sink (batch 1000), events/s at the channel's takes";
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        return List.of(new SideBySideAgents(name(), "a1", (side, dir) -> CONFIG, "CHANNEL.c1",
                "EventTakeSuccessCount").run(context));
    }
}
