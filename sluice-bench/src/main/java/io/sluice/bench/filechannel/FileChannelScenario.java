package io.sluice.bench.filechannel;

import io.sluice.bench.BenchContext;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.harness.SideBySideAgents;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code file-channel}: a {@code seq} source (batchSize 1000) puts into a {@code file} channel
 * (Apache Flume's defaults: fsync on every commit) drained by a {@code null} sink (batchSize 1000);
 * put and take run together. Both products get the same configuration, with the channel's
 * directories inside each run's scratch directory. Measured at the channel's
 * {@code EventTakeSuccessCount}.
 *
 * <p>The same run also reports the disk's fsync latency (a plain write+fsync loop), the Sluice
 * channel's commit latency under the same workload (in-process), and how long recovery of 10 M
 * small events takes (full log replay, and from a checkpoint).
 */
public final class FileChannelScenario implements Scenario {

    static String config(Path runDir) {
        return String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.batchSize = 1000",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = file",
                "a1.channels.c1.checkpointDir = " + runDir.resolve("fc-checkpoint"),
                "a1.channels.c1.dataDirs = " + runDir.resolve("fc-data"),
                "a1.channels.c1.capacity = 1000000",
                "a1.channels.c1.transactionCapacity = 10000",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.batchSize = 1000",
                "a1.sinks.k1.channel = c1",
                "");
    }

    @Override
    public String name() {
        return "file-channel";
    }

    @Override
    public String description() {
        return "seq (batch 1000) -> file channel (fsync per commit) -> null sink (batch 1000), events/s at the"
                + " channel's takes; also disk fsync p99, channel commit p99, replay time of 10 M events";
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        Path work = context.workDirectory().resolve("file-channel-probes");
        context.log(DiskFsyncProbe.measure(work.resolve("fsync"), 2000).line());
        context.log(ChannelCommitProbe.measure(work.resolve("commit"), context.options().windowSeconds()).line());
        long replayEvents = Long.getLong("sluice.bench.replayEvents", 10_000_000L);
        context.log(ReplayProbe.measure(work.resolve("replay"), (int) replayEvents).line());
        Comparison c = new SideBySideAgents(name(), "a1", (side, dir) -> config(dir), "CHANNEL.c1",
                "EventTakeSuccessCount").run(context);
        return List.of(c);
    }
}
