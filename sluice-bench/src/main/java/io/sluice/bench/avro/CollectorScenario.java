package io.sluice.bench.avro;

import io.sluice.bench.BenchContext;
import io.sluice.bench.BenchOptions;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.filechannel.DiskFsyncProbe;
import io.sluice.bench.harness.AgentSide;
import io.sluice.bench.harness.ChildJvm;
import io.sluice.bench.harness.MetricsClient;
import io.sluice.bench.harness.SluiceHome;
import io.sluice.testing.FreePorts;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code collector}: a collector tier. {@code N} Apache Flume 1.11 SDK clients (default 8,
 * {@code -Dsluice.bench.collector.clients=N} on the harness JVM), each on its own connection and
 * thread in one client JVM, send batches of 100 events of 100 bytes over Avro to an avro source,
 * which puts them into a {@code memory} or a {@code file} channel drained by a {@code null} sink
 * (batchSize 1000). The same clients and the same configuration feed Apache Flume 1.11 and Sluice,
 * alternating; events/s are read from {@code CHANNEL.c1.EventTakeSuccessCount}.
 *
 * <p>Besides {@code collector-memory} and {@code collector-file} (each Sluice against Flume), it
 * prints the file channel's rate over the memory channel's for each product, and for Sluice the file
 * channel's put commit p99 ({@code PutCommitLatencyP99Ms} at the end of each window) next to the
 * disk's fsync p99, measured by a write+fdatasync loop in the channel's own data directory right
 * after each Sluice file run.
 */
public final class CollectorScenario implements Scenario {
    static final int BATCH = 100;
    static final int CLIENTS = Integer.getInteger("sluice.bench.collector.clients", 8);
    private static final int FSYNC_PROBE_ITERATIONS = 300;
    private static final List<String> CLIENT_JVM = List.of("-Xms512m", "-Xmx512m");

    @Override
    public String name() {
        return "collector";
    }

    @Override
    public String description() {
        return CLIENTS + " Apache Flume SDK clients -avro (batch 100)-> avro source -> memory or file channel"
                + " -> null sink; file/memory ratio, file channel commit p99 against the disk's fsync p99";
    }

    static String config(int port, String channelType, Path runDir) {
        List<String> channel = new ArrayList<>(List.of("a1.channels.c1.type = " + channelType));
        if (channelType.equals("file")) {
            channel.add("a1.channels.c1.checkpointDir = " + runDir.resolve("fc-checkpoint"));
            channel.add("a1.channels.c1.dataDirs = " + runDir.resolve("fc-data"));
        }
        return AvroHopScenario.config(port, channel, 1000, 1000);
    }

    /** One run's figures: events/s, and for a Sluice file run the commit p99 and the disk's fsync p99. */
    private record Run(double eps, double commitP99Millis, double fsyncP99Millis) {
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        context.log(String.format(Locale.ROOT, "collector: %d Apache Flume SDK clients, batches of %d", CLIENTS,
                BATCH));
        List<Comparison> out = new ArrayList<>();
        List<Double> commitP99 = new ArrayList<>();
        List<Double> fsyncP99 = new ArrayList<>();
        for (String channel : List.of("memory", "file")) {
            String label = name() + "-" + channel;
            List<Double> flume = new ArrayList<>();
            List<Double> sluice = new ArrayList<>();
            for (int run = 1; run <= context.options().runs(); run++) {
                flume.add(measure(context, label, channel, AgentSide.FLUME, run).eps());
                Run r = measure(context, label, channel, AgentSide.SLUICE, run);
                sluice.add(r.eps());
                if (channel.equals("file")) {
                    commitP99.add(r.commitP99Millis());
                    fsyncP99.add(r.fsyncP99Millis());
                }
            }
            out.add(new Comparison(label, AgentSide.FLUME.label(), sluice, flume));
        }
        Comparison memory = out.get(0);
        Comparison file = out.get(1);
        context.log(String.format(Locale.ROOT, "collector file/memory: sluice=%.2f (%d / %d events/s) flume=%.2f"
                + " (%d / %d events/s); target for Sluice >= 0.80", file.sluiceMedian() / memory.sluiceMedian(),
                Math.round(file.sluiceMedian()), Math.round(memory.sluiceMedian()),
                file.peerMedian() / memory.peerMedian(), Math.round(file.peerMedian()),
                Math.round(memory.peerMedian())));
        double commit = Comparison.median(commitP99);
        double fsync = Comparison.median(fsyncP99);
        context.log(String.format(Locale.ROOT, "collector sluice file channel: put commit p99=%.2f ms, disk fsync"
                + " p99=%.2f ms, commit/fsync=%.1f; target <= 3 (medians of %d runs)", commit, fsync, commit / fsync,
                commitP99.size()));
        return out;
    }

    private Run measure(BenchContext context, String label, String channel, AgentSide side, int run)
            throws Exception {
        BenchOptions o = context.options();
        SluiceHome home = context.home();
        Path runDir = context.workDirectory().resolve(label).resolve(side.label() + "-" + run);
        Files.createDirectories(runDir);
        int avroPort = FreePorts.tcp();
        int metricsPort = FreePorts.tcp();
        Path conf = Files.writeString(runDir.resolve("flume.conf"), config(avroPort, channel, runDir));
        double eps;
        double commitP99 = Double.NaN;
        try (ChildJvm agent = side.start(home, o.jvmOptions(), "a1", conf, metricsPort, runDir)) {
            AvroHopScenario.awaitListening(agent, avroPort);
            try (ChildJvm client = startClients(home, avroPort, runDir)) {
                MetricsClient metrics = new MetricsClient(metricsPort);
                AvroHopScenario.awaitMoving(agent, client, metrics);
                MetricsClient.Window w = metrics.window("CHANNEL.c1", "EventTakeSuccessCount", o.warmupSeconds(),
                        o.windowSeconds());
                if (side == AgentSide.SLUICE) {
                    commitP99 = Double.parseDouble(metrics.fetch().get("CHANNEL.c1").get("PutCommitLatencyP99Ms"));
                }
                if (!agent.isAlive() || !client.isAlive()) {
                    throw new IllegalStateException(side.label() + " agent or client exited during the window; logs "
                            + agent.logFile() + " and " + client.logFile() + ":\n" + client.logTail(20));
                }
                eps = w.eventsPerSecond();
            }
        }
        double fsyncP99 = Double.NaN;
        String extra = "";
        if (side == AgentSide.SLUICE) {
            extra = String.format(Locale.ROOT, " put_commit_p99=%.2fms", commitP99);
            if (channel.equals("file")) {
                DiskFsyncProbe.Result probe = DiskFsyncProbe.measure(runDir.resolve("fc-data"),
                        FSYNC_PROBE_ITERATIONS);
                fsyncP99 = probe.latencies().percentileMillis(99);
                extra += String.format(Locale.ROOT, " disk_fsync_p99=%.2fms", fsyncP99);
            }
        }
        context.log(String.format(Locale.ROOT, "%s run %d/%d %-6s eps=%.0f%s (CHANNEL.c1.EventTakeSuccessCount)",
                label, run, o.runs(), side.label(), eps, extra));
        return new Run(eps, commitP99, fsyncP99);
    }

    /** The same load for both products: Apache Flume's own SDK client, {@link #CLIENTS} connections. */
    private static ChildJvm startClients(SluiceHome home, int port, Path runDir) throws IOException {
        List<String> jvm = new ArrayList<>(CLIENT_JVM);
        jvm.add("-Dlog4j.configurationFile=" + home.flumeLog4jConfig());
        return ChildJvm.start("flume-clients", jvm, SluiceHome.wildcard(home.flumeLib()) + File.pathSeparator
                + AvroHopScenario.driverLocation(), FlumeAvroDriver.class.getName(), List.of("127.0.0.1",
                String.valueOf(port), String.valueOf(BATCH), String.valueOf(CLIENTS)), runDir,
                runDir.resolve("client.log"));
    }
}
