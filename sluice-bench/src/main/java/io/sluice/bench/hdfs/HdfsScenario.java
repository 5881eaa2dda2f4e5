package io.sluice.bench.hdfs;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.sluice.bench.BenchContext;
import io.sluice.bench.BenchOptions;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.harness.AgentSide;
import io.sluice.bench.harness.ChildJvm;
import io.sluice.bench.harness.MetricsClient;
import io.sluice.bench.harness.SideBySideAgents;
import io.sluice.testing.FreePorts;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.slf4j.LoggerFactory;

/**
 * {@code hdfs}: one MiniDFSCluster (one datanode, every server on 127.0.0.1, web servers off) started
 * in the benchmark's JVM; both agents write into it. Three side-by-side lines, stress source (100-byte
 * events, batch 1000) into a memory channel into the HDFS sink ({@code hdfs.batchSize 1000},
 * {@code hdfs.rollSize} 128 MB, no count or time roll; {@code hdfs.minBlockReplicas 1}, since the cluster has
 * one datanode and both sinks otherwise roll at every batch, taking the file as under-replicated), measured at the sink's
 * {@code EventDrainSuccessCount}: {@code hdfs} ({@code DataStream}), {@code hdfs-sequencefile}
 * ({@code SequenceFile}, Writable) and {@code hdfs-gzip} ({@code CompressedStream}, gzip). Then the rate
 * of Sluice's exactly-once sink ({@code hdfs.exactlyOnce = true}; Apache Flume has none), which needs a
 * file channel, so it is printed beside the plain line and not as a ratio. Every run writes under its
 * own directory.
 */
public final class HdfsScenario implements Scenario {
    private static final int BODY = 100;
    private static final long ROLL_SIZE = 128L * 1024 * 1024;

    @Override
    public String name() {
        return "hdfs";
    }

    @Override
    public String description() {
        return "one MiniDFSCluster, stress (100-byte events) -> memory -> hdfs sink (batch 1000, roll 128 MB):"
                + " DataStream, SequenceFile, CompressedStream gzip; and the exactly-once sink (file channel) rate";
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        quietHadoopLogs();
        File base = context.workDirectory().resolve("hdfs-cluster").toFile();
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(clusterConf(base), base).numDataNodes(1).build();
        try {
            cluster.waitActive();
            String uri = cluster.getFileSystem().getUri().toString();
            Comparison stream = new SideBySideAgents("hdfs", "a1",
                    (side, dir) -> config(uri, dir, "a1.sinks.k1.hdfs.fileType = DataStream"), "SINK.k1",
                    "EventDrainSuccessCount").run(context);
            Comparison seq = new SideBySideAgents("hdfs-sequencefile", "a1",
                    (side, dir) -> config(uri, dir, "a1.sinks.k1.hdfs.fileType = SequenceFile\n"
                            + "a1.sinks.k1.hdfs.writeFormat = Writable"), "SINK.k1", "EventDrainSuccessCount")
                    .run(context);
            Comparison gzip = new SideBySideAgents("hdfs-gzip", "a1",
                    (side, dir) -> config(uri, dir, "a1.sinks.k1.hdfs.fileType = CompressedStream\n"
                            + "a1.sinks.k1.hdfs.codeC = gzip"), "SINK.k1", "EventDrainSuccessCount").run(context);
            double eo = exactlyOnceRate(context, uri);
            context.log(String.format(Locale.ROOT, "scenario=hdfs-exactly-once sluice=%.0f events/s (file channel:"
                    + " Sluice only, Apache Flume has no such mode; the plain DataStream line uses a memory channel:"
                    + " %.0f events/s)", eo, stream.sluiceMedian()));
            return List.of(stream, seq, gzip);
        } finally {
            cluster.shutdown(true);
        }
    }

    /** The cluster logs every namenode call (audit) and block at INFO; the benchmark's lines would drown. */
    private static void quietHadoopLogs() {
        if (LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME) instanceof Logger root) {
            root.setLevel(Level.WARN);
        }
    }

    static Configuration clusterConf(File base) {
        Configuration conf = new Configuration();
        conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getAbsolutePath());
        conf.setBoolean("dfs.webhdfs.enabled", false);
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.namenode.https-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.set("dfs.namenode.servicerpc-bind-host", "127.0.0.1");
        conf.set("dfs.namenode.rpc-bind-host", "127.0.0.1");
        conf.setInt("dfs.replication", 1);
        return conf;
    }

    /** A unique HDFS directory per run, from its scratch directory (e.g. {@code /bench/hdfs/sluice-2}). */
    private static String dir(Path runDir) {
        return "/bench/" + runDir.getParent().getFileName() + "/" + runDir.getFileName();
    }

    static String source(String channel) {
        return String.join("\n", "a1.sources.r1.type = org.apache.flume.source.StressSource",
                "a1.sources.r1.size = " + BODY, "a1.sources.r1.batchSize = 1000", "a1.sources.r1.channels = " + channel);
    }

    static String sink(String uri, Path runDir, String format) {
        return String.join("\n", "a1.sinks.k1.type = hdfs", "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.hdfs.path = " + uri + dir(runDir), "a1.sinks.k1.hdfs.batchSize = 1000",
                "a1.sinks.k1.hdfs.rollSize = " + ROLL_SIZE, "a1.sinks.k1.hdfs.rollCount = 0",
                "a1.sinks.k1.hdfs.rollInterval = 0", "a1.sinks.k1.hdfs.minBlockReplicas = 1", format);
    }

    static String config(String uri, Path runDir, String format) {
        return String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1", source("c1"),
                "a1.channels.c1.type = memory", "a1.channels.c1.capacity = 100000",
                "a1.channels.c1.transactionCapacity = 1000", sink(uri, runDir, format), "");
    }

    static String exactlyOnceConfig(String uri, Path runDir) {
        return String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1", source("c1"),
                "a1.channels.c1.type = file", "a1.channels.c1.checkpointDir = " + runDir.resolve("checkpoint"),
                "a1.channels.c1.dataDirs = " + runDir.resolve("data"), "a1.channels.c1.transactionCapacity = 1000",
                sink(uri, runDir, "a1.sinks.k1.hdfs.fileType = DataStream\na1.sinks.k1.hdfs.exactlyOnce = true"), "");
    }

    /** Sluice only: events/s at the exactly-once sink's EventDrainSuccessCount, median of the runs. */
    private static double exactlyOnceRate(BenchContext context, String uri) throws Exception {
        BenchOptions o = context.options();
        double[] rates = new double[o.runs()];
        for (int i = 1; i <= o.runs(); i++) {
            Path runDir = context.workDirectory().resolve("hdfs-exactly-once").resolve("sluice-" + i);
            Files.createDirectories(runDir);
            Path conf = runDir.resolve("flume.conf");
            Files.writeString(conf, exactlyOnceConfig(uri, runDir));
            int port = FreePorts.tcp();
            try (ChildJvm agent = AgentSide.SLUICE.start(context.home(), o.jvmOptions(), "a1", conf, port, runDir)) {
                MetricsClient metrics = new MetricsClient(port);
                SideBySideAgents.awaitMoving(agent, metrics, "SINK.k1", "EventDrainSuccessCount");
                rates[i - 1] = metrics.window("SINK.k1", "EventDrainSuccessCount", o.warmupSeconds(),
                        o.windowSeconds()).eventsPerSecond();
                context.log(String.format(Locale.ROOT, "hdfs-exactly-once run %d/%d sluice eps=%.0f", i, o.runs(),
                        rates[i - 1]));
            }
        }
        Arrays.sort(rates);
        return rates[rates.length / 2];
    }
}
