package io.sluice.bench.avro;

import io.sluice.bench.BenchContext;
import io.sluice.bench.BenchOptions;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.harness.AgentSide;
import io.sluice.bench.harness.ChildJvm;
import io.sluice.bench.harness.MetricsClient;
import io.sluice.bench.harness.SluiceHome;
import io.sluice.testing.FreePorts;
import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code avro-hop}: client -> avro source -> memory channel -> null sink, once with Sluice's SDK
 * client and agent and once with Apache Flume 1.11's client and agent, at batch 100 and 1000, with
 * 100-byte events and identical agent configurations. Each run starts a fresh agent JVM and a
 * fresh client JVM, alternating Flume and Sluice; events/s are read from the channel's
 * {@code EventTakeSuccessCount} in both agents' {@code /metrics}, between the end of the warm-up
 * and the end of the window. Both clients send from one thread over one connection and wait for
 * each batch's answer before sending the next (the Sluice client can keep several batches in
 * flight, {@code -Dsluice.bench.avro.inflight=N} on the harness JVM; the default, 1, matches
 * Flume's client). Reports {@code avro-hop-b100} and {@code avro-hop-b1000}.
 *
 * <p>The same measurement runs for the thrift source ({@code thrift-hop}, see
 * {@code io.sluice.bench.thrift.ThriftHop}): only the source type and the two client drivers differ.
 */
public final class AvroHopScenario implements Scenario {
    public static final int EVENT_BYTES = 100;
    static final int SLUICE_INFLIGHT = Integer.getInteger("sluice.bench.avro.inflight", 1);
    private static final int[] BATCHES = {100, 1000};
    private static final List<String> CLIENT_JVM = List.of("-Xms512m", "-Xmx512m");
    private static final long START_TIMEOUT_MILLIS = 90_000;

    private final String sourceType;
    private final Class<?> sluiceDriver;
    private final Class<?> flumeDriver;

    public AvroHopScenario() {
        this("avro", SluiceAvroDriver.class, FlumeAvroDriver.class);
    }

    /**
     * The hop through a source of {@code sourceType}; each driver's {@code main} takes
     * {@code host port batchSize} (the Sluice one also {@code inflight}) and sends until killed.
     */
    public AvroHopScenario(String sourceType, Class<?> sluiceDriver, Class<?> flumeDriver) {
        this.sourceType = sourceType;
        this.sluiceDriver = sluiceDriver;
        this.flumeDriver = flumeDriver;
    }

    @Override
    public String name() {
        return sourceType + "-hop";
    }

    @Override
    public String description() {
        return "client -" + sourceType + "-> " + sourceType
                + " source -> memory -> null sink, 100-byte events, batch 100 and 1000";
    }

    static String config(int port, int batch) {
        return config(port, List.of("a1.channels.c1.type = memory"), Math.max(1000, batch), batch);
    }

    /**
     * avro source r1 on 127.0.0.1:{@code port} -> channel c1 ({@code channelLines}, capacity 1,000,000,
     * {@code transactionCapacity}) -> null sink k1 ({@code sinkBatch}); shared with {@link CollectorScenario}.
     */
    static String config(int port, List<String> channelLines, int transactionCapacity, int sinkBatch) {
        List<String> lines = new ArrayList<>(List.of(
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = avro",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + port,
                "a1.sources.r1.channels = c1"));
        lines.addAll(channelLines);
        lines.addAll(List.of(
                "a1.channels.c1.capacity = 1000000",
                "a1.channels.c1.transactionCapacity = " + transactionCapacity,
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.batchSize = " + sinkBatch,
                "a1.sinks.k1.channel = c1",
                ""));
        return String.join("\n", lines);
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        List<Comparison> out = new ArrayList<>();
        for (int batch : BATCHES) {
            String label = name() + "-b" + batch;
            List<Double> flume = new ArrayList<>();
            List<Double> sluice = new ArrayList<>();
            for (int run = 1; run <= context.options().runs(); run++) {
                flume.add(measure(context, label, AgentSide.FLUME, batch, run));
                sluice.add(measure(context, label, AgentSide.SLUICE, batch, run));
            }
            out.add(new Comparison(label, AgentSide.FLUME.label(), sluice, flume));
        }
        return out;
    }

    private double measure(BenchContext context, String label, AgentSide side, int batch, int run) throws Exception {
        BenchOptions o = context.options();
        SluiceHome home = context.home();
        Path runDir = context.workDirectory().resolve(label).resolve(side.label() + "-" + run);
        Files.createDirectories(runDir);
        int avroPort = FreePorts.tcp();
        int metricsPort = FreePorts.tcp();
        Path conf = Files.writeString(runDir.resolve("flume.conf"),
                config(avroPort, batch).replace("a1.sources.r1.type = avro", "a1.sources.r1.type = " + sourceType));
        try (ChildJvm agent = side.start(home, o.jvmOptions(), "a1", conf, metricsPort, runDir)) {
            awaitListening(agent, avroPort);
            try (ChildJvm client = startClient(home, side, avroPort, batch, runDir)) {
                MetricsClient metrics = new MetricsClient(metricsPort);
                awaitMoving(agent, client, metrics);
                MetricsClient.Window w = metrics.window("CHANNEL.c1", "EventTakeSuccessCount", o.warmupSeconds(),
                        o.windowSeconds());
                if (!agent.isAlive() || !client.isAlive()) {
                    throw new IllegalStateException(side.label() + " agent or client exited during the window; logs "
                            + agent.logFile() + " and " + client.logFile() + ":\n" + client.logTail(20));
                }
                double eps = w.eventsPerSecond();
                context.log(String.format(Locale.ROOT, "%s run %d/%d %-6s eps=%.0f (%d events in %.2f s, "
                        + "CHANNEL.c1.EventTakeSuccessCount)", label, run, o.runs(), side.label(), eps, w.events(),
                        w.seconds()));
                return eps;
            }
        }
    }

    private ChildJvm startClient(SluiceHome home, AgentSide side, int port, int batch, Path runDir)
            throws IOException {
        String driverPath = driverLocation().toString();
        List<String> jvm = new ArrayList<>(CLIENT_JVM);
        if (side == AgentSide.FLUME) {
            jvm.add("-Dlog4j.configurationFile=" + home.flumeLog4jConfig());
            return ChildJvm.start("flume-client", jvm, SluiceHome.wildcard(home.flumeLib()) + File.pathSeparator
                    + driverPath, flumeDriver.getName(), List.of("127.0.0.1", String.valueOf(port),
                    String.valueOf(batch)), runDir, runDir.resolve("client.log"));
        }
        Path lib = home.sluiceLib();
        jvm.add("-Dlogback.configurationFile=" + lib.resolveSibling("conf").resolve("logback.xml"));
        return ChildJvm.start("sluice-client", jvm, SluiceHome.wildcard(lib) + File.pathSeparator + driverPath,
                sluiceDriver.getName(), List.of("127.0.0.1", String.valueOf(port), String.valueOf(batch),
                        String.valueOf(SLUICE_INFLIGHT)), runDir, runDir.resolve("client.log"));
    }

    static Path driverLocation() {
        try {
            return Path.of(AvroHopScenario.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the bench classes", e);
        }
    }

    static void awaitListening(ChildJvm agent, int port) throws InterruptedException {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            if (!agent.isAlive()) {
                throw new IllegalStateException(agent.label() + " agent exited before listening on " + port + "; log "
                        + agent.logFile() + ":\n" + agent.logTail(40));
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException(agent.label() + " agent did not listen on " + port + " within "
                + START_TIMEOUT_MILLIS / 1000 + " s; log " + agent.logFile() + ":\n" + agent.logTail(40));
    }

    static void awaitMoving(ChildJvm agent, ChildJvm client, MetricsClient metrics) throws Exception {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        Exception last = null;
        while (System.currentTimeMillis() < deadline) {
            if (!agent.isAlive() || !client.isAlive()) {
                throw new IllegalStateException("agent or client exited before events moved; logs " + agent.logFile()
                        + " and " + client.logFile() + ":\n" + agent.logTail(30) + "\n" + client.logTail(30));
            }
            try {
                if (metrics.read("CHANNEL.c1", "EventTakeSuccessCount").value() > 0) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("no events moved within " + START_TIMEOUT_MILLIS / 1000 + " s (last error: "
                + last + "); logs " + agent.logFile() + " and " + client.logFile() + ":\n" + client.logTail(30));
    }
}
