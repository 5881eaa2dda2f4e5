package io.sluice.bench.channels;

import io.sluice.bench.BenchContext;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.harness.SideBySideAgents;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;

import static java.util.Objects.requireNonNull;

/**
 * A channel compared side by side: {@code seq} -> the channel -> {@code null}, one configuration for
 * both products with the channel's files in each run's scratch directory. Immutable.
 *
 * <ul>
 *   <li>{@code spillable}: source batches of 1000 into a {@code SPILLABLEMEMORY} channel
 *       (memoryCapacity 10000, overflowTimeout 0), a sink taking batches of 100 (measured at the channel's {@code EventTakeSuccessCount}): whenever the sink
 *       falls behind and memory has no room for a source batch, that batch goes to the overflow at
 *       once. (With the default overflowTimeout of 3 s a full memory makes the source wait for the
 *       sink instead, on both products, and the overflow is never used.)</li>
 *   <li>{@code jdbc}: batches of 100 through a {@code jdbc} channel on its default embedded Derby
 *       database, which {@code sysprop.user.home} puts in the run's directory for both. Apache Flume
 *       runs its {@code flume-jdbc-channel} 1.11.0 on the Derby it was built with (10.14), Sluice on
 *       Derby 10.16. Flume's jdbc channel keeps no channel counters, so both are measured at the
 *       source's {@code EventAcceptedCount}: events committed into the channel.</li>
 * </ul>
 */
public final class ChannelScenario implements Scenario {
    private final String name;
    private final String description;
    private final Function<Path, List<String>> channelAndBatches;

    private final String counterGroup;
    private final String counterName;

    private ChannelScenario(String name, String description, Function<Path, List<String>> channelAndBatches,
            String counterGroup, String counterName) {
        this.name = requireNonNull(name, "name is null");
        this.description = requireNonNull(description, "description is null");
        this.channelAndBatches = requireNonNull(channelAndBatches, "channelAndBatches is null");
        this.counterGroup = requireNonNull(counterGroup, "counterGroup is null");
        this.counterName = requireNonNull(counterName, "counterName is null");
    }

    public static ChannelScenario spillable() {
        return new ChannelScenario("spillable", "seq (batch 1000) -> SPILLABLEMEMORY channel (memoryCapacity 10000,"
                + " overflowTimeout 0) -> null sink (batch 100): a source batch that finds memory full spills at once,"
                + " events/s at the channel's takes", dir -> List.of(
                        "a1.sources.r1.batchSize = 1000",
                        "a1.channels.c1.type = SPILLABLEMEMORY",
                        "a1.channels.c1.memoryCapacity = 10000",
                        "a1.channels.c1.overflowTimeout = 0",
                        "a1.channels.c1.overflowCapacity = 100000000",
                        "a1.channels.c1.transactionCapacity = 10000",
                        "a1.channels.c1.checkpointDir = " + dir.resolve("spill-checkpoint"),
                        "a1.channels.c1.dataDirs = " + dir.resolve("spill-data"),
                        "a1.sinks.k1.batchSize = 100"), "CHANNEL.c1", "EventTakeSuccessCount");
    }

    public static ChannelScenario jdbc() {
        return new ChannelScenario("jdbc", "seq (batch 100) -> jdbc channel (embedded Derby) -> null sink (batch 100),"
                + " events/s the source committed into the channel", dir -> List.of(
                        "a1.sources.r1.batchSize = 100",
                        "a1.channels.c1.type = jdbc",
                        "a1.channels.c1.sysprop.user.home = " + dir.resolve("home"),
                        "a1.sinks.k1.batchSize = 100"), "SOURCE.r1", "EventAcceptedCount");
    }

    String config(Path runDir) {
        StringBuilder sb = new StringBuilder(String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = seq", "a1.sources.r1.channels = c1", "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c1", ""));
        for (String line : channelAndBatches.apply(runDir)) {
            sb.append(line).append('\n');
        }
        return sb.toString();
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        return List.of(new SideBySideAgents(name, "a1", (side, dir) -> config(dir), counterGroup, counterName)
                .run(context));
    }
}
