package io.sluice.e2e.avro;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Distribution;
import io.sluice.e2e.support.FlumePeer;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Configurations and launchers for the agent processes of the avro tests. Stateless. */
final class Agents {
    static final Duration START = Duration.ofSeconds(90);

    private Agents() {
    }

    /**
     * An agent relaying avro to avro through a memory channel: {@code r1} listens on
     * {@code inPort}, {@code k1} sends to {@code outPort}. Extra lines are added as given, e.g.
     * {@code sources.r1.ssl = true}.
     */
    static AgentConfig relay(String agent, int inPort, int outPort, int capacity, String... extra) {
        return relay(agent, inPort, outPort, capacity, 100, extra);
    }

    /** {@link #relay(String, int, int, int, String...)} with the sink's batch size. */
    static AgentConfig relay(String agent, int inPort, int outPort, int capacity, int sinkBatch, String... extra) {
        AgentConfig c = AgentConfig.of(agent)
                .components("r1", "c1", "k1")
                .loopbackSource("r1", "avro", inPort, "c1")
                .set("channels.c1.type", "memory").set("channels.c1.capacity", capacity)
                .set("channels.c1.transactionCapacity", 1000)
                .set("sinks.k1.type", "avro").set("sinks.k1.channel", "c1").set("sinks.k1.hostname", "127.0.0.1")
                .set("sinks.k1.port", outPort).set("sinks.k1.batch-size", sinkBatch)
                .set("sinks.k1.connect-timeout", 5000).set("sinks.k1.request-timeout", 10000);
        for (int i = 0; i < extra.length; i += 2) {
            c.set(extra[i], extra[i + 1]);
        }
        return c;
    }

    /** Like {@link #relay(String, int, int, int, String...)} but through a {@code file} channel kept in {@code data}. */
    static AgentConfig fileRelay(String agent, int inPort, int outPort, Path data) {
        return AgentConfig.of(agent)
                .components("r1", "c1", "k1")
                .loopbackSource("r1", "avro", inPort, "c1")
                .set("channels.c1.type", "file").set("channels.c1.checkpointDir", data.resolve("checkpoint"))
                .set("channels.c1.dataDirs", data.resolve("data")).set("channels.c1.transactionCapacity", 1000)
                .set("sinks.k1.type", "avro").set("sinks.k1.channel", "c1").set("sinks.k1.hostname", "127.0.0.1")
                .set("sinks.k1.port", outPort).set("sinks.k1.batch-size", 100)
                .set("sinks.k1.connect-timeout", 5000).set("sinks.k1.request-timeout", 10000);
    }

    static ChildProcess startSluice(String name, Path dir, AgentConfig config, int listenPort, String... args)
            throws IOException {
        ChildProcess p = SluiceCli.startAgent(name, dir, config.writeTo(dir), agentName(config), args);
        Ports.awaitListening(p, listenPort, START);
        return p;
    }

    static ChildProcess startFlume(String name, Path dir, AgentConfig config, int listenPort) throws IOException {
        ChildProcess p = FlumePeer.startAgent(name, dir, config.writeTo(dir), agentName(config));
        if (listenPort > 0) {
            Ports.awaitListening(p, listenPort, START);
        }
        return p;
    }

    /** Runs Flume's own RpcClientFactory client ({@link FlumeRpcDriver}) in a JVM on Flume's classpath. */
    static ChildProcess startFlumeClient(Path dir, int port, int count, String compression) throws IOException {
        String cp = Distribution.wildcard(Distribution.flumeLib()) + File.pathSeparator + testClasses();
        List<String> jvm = new ArrayList<>(Distribution.TEST_JVM_OPTIONS);
        jvm.add("-Dlog4j2.level=WARN");
        return ChildProcess.start("flume-rpc-client-" + compression, Distribution.javaCommand(jvm, cp,
                FlumeRpcDriver.class.getName(), List.of("127.0.0.1", String.valueOf(port), String.valueOf(count),
                        compression)), dir, Map.of());
    }

    private static String agentName(AgentConfig config) {
        String text = config.text();
        return text.substring(0, text.indexOf('.'));
    }

    private static Path testClasses() {
        try {
            return Path.of(FlumeRpcDriver.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
