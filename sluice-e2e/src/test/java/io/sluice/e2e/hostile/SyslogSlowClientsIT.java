package io.sluice.e2e.hostile;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.MetricsJson;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The TCP syslog sources of a running agent against clients that stall, send half a message
 * (newline-framed or octet-counted) or come one too many: each is closed on idleTimeout,
 * readTimeout or maxConnections and counted in /metrics, and the admitted connections are still
 * served.
 */
class SyslogSlowClientsIT {
    private static final Duration CLOSED_WITHIN = Duration.ofSeconds(20);
    /** Well under the idleTimeout of 5 s: a refused connection is closed at once, an admitted one is not. */
    private static final Duration REFUSED_WITHIN = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    @Test
    void syslogtcpClosesIdleAndHalfSentConnectionsAndRefusesSurplusOnes() throws Exception {
        int port = Ports.free();
        int metricsPort = Ports.free();
        try (ChildProcess agent = startAgent("st", "syslogtcp", "port", String.valueOf(port), metricsPort)) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(60));
            awaitProbesClosed(metricsPort, "st");

            // A whole message leaves the connection idle: readTimeout no longer runs, idleTimeout does.
            try (RawSocket idle = new RawSocket(port).write("<13>Dec  6 12:00:00 host app: whole\n")) {
                assertThat(idle.readUntilClosed(Duration.ofMillis(2000))).as("open past readTimeout").isNull();
                assertThat(idle.readUntilClosed(CLOSED_WITHIN)).as("idle syslog connection").isEmpty();
            }
            assertThat(counter(metricsPort, "st", "ConnectionTimedOutCount")).isEqualTo(1);

            // Half a message of each framing; a byte every 200 ms does not keep the first one open.
            try (RawSocket halfLine = new RawSocket(port).write("<13>Dec  6 12:00:00 host app: no newline");
                    RawSocket halfCounted = new RawSocket(port).write("60 <13>Dec  6 12:00:00 host app: short")) {
                String trickled = halfLine.trickleUntilClosed(".", Duration.ofMillis(200), CLOSED_WITHIN);
                assertThat(trickled).as("trickled newline-framed message").isEmpty();
                assertThat(halfCounted.readUntilClosed(CLOSED_WITHIN)).as("half an octet-counted message").isEmpty();
            }
            assertThat(counter(metricsPort, "st", "ConnectionTimedOutCount")).isEqualTo(3);
            await("the two unfinished messages counted").atMost(Duration.ofSeconds(10))
                    .until(() -> counter(metricsPort, "st", "EventReadFail") == 2);

            // maxConnections = 2: the third connection is closed at once; the two others are served.
            try (RawSocket first = new RawSocket(port); RawSocket second = new RawSocket(port)) {
                await("two syslog connections open").atMost(Duration.ofSeconds(10))
                        .until(() -> counter(metricsPort, "st", "OpenConnectionCount") == 2);
                try (RawSocket surplus = new RawSocket(port)) {
                    surplus.write("<13>Dec  6 12:00:00 host app: refused\n");
                    assertThat(surplus.readUntilClosed(REFUSED_WITHIN)).as("surplus connection").isEmpty();
                }
                assertThat(counter(metricsPort, "st", "ConnectionRefusedCount")).isEqualTo(1);
                first.write("<13>Dec  6 12:00:00 host app: still served\n");
                second.write(octetCounted("<13>Dec  6 12:00:00 host app: counted"));
                await("both admitted connections served").atMost(Duration.ofSeconds(10))
                        .until(() -> counter(metricsPort, "st", "EventAcceptedCount") == 3);
            }
            assertThat(counter(metricsPort, "st", "ConnectionRefusedCount")).isEqualTo(1);
        }
    }

    @Test
    void multiportSyslogtcpLimitsConnectionsAcrossAllItsPorts() throws Exception {
        int portA = Ports.free();
        int portB = Ports.free();
        int metricsPort = Ports.free();
        try (ChildProcess agent = startAgent("mp", "multiport_syslogtcp", "ports", portA + " " + portB,
                metricsPort)) {
            Ports.awaitListening(agent, portA, Duration.ofSeconds(60));
            Ports.awaitListening(agent, portB, Duration.ofSeconds(60));
            awaitProbesClosed(metricsPort, "mp");

            try (RawSocket idle = new RawSocket(portA);
                    RawSocket halfCounted = new RawSocket(portB).write("60 <13>Dec  6 12:00:00 host app: short")) {
                assertThat(idle.readUntilClosed(CLOSED_WITHIN)).as("idle connection").isEmpty();
                assertThat(halfCounted.readUntilClosed(CLOSED_WITHIN)).as("half an octet-counted message").isEmpty();
            }
            assertThat(counter(metricsPort, "mp", "ConnectionTimedOutCount")).isEqualTo(2);

            // One connection on each port uses up maxConnections = 2 for the whole source.
            try (RawSocket onA = new RawSocket(portA); RawSocket onB = new RawSocket(portB)) {
                await("two connections open").atMost(Duration.ofSeconds(10))
                        .until(() -> counter(metricsPort, "mp", "OpenConnectionCount") == 2);
                try (RawSocket surplus = new RawSocket(portA)) {
                    assertThat(surplus.readUntilClosed(REFUSED_WITHIN)).as("surplus connection").isEmpty();
                }
                assertThat(counter(metricsPort, "mp", "ConnectionRefusedCount")).isEqualTo(1);
                onA.write("<13>Dec  6 12:00:00 host app: on A\n");
                onB.write("<13>Dec  6 12:00:00 host app: on B\n");
                await("both admitted connections served").atMost(Duration.ofSeconds(10))
                        .until(() -> counter(metricsPort, "mp", "EventAcceptedCount") == 2);
            }
            assertThat(counter(metricsPort, "mp", "ConnectionRefusedCount")).isEqualTo(1);
        }
    }

    /** An agent whose one source {@code name} of {@code type} has idleTimeout 5 s, readTimeout 1 s, maxConnections 2. */
    private ChildProcess startAgent(String name, String type, String portKey, String ports, int metricsPort)
            throws IOException {
        String p = "sources." + name + ".";
        Path conf = AgentConfig.of("a1")
                .components(name, "c1", "k1")
                .set(p + "type", type).set(p + "host", "127.0.0.1").set(p + portKey, ports).set(p + "channels", "c1")
                .set(p + "idleTimeout", 5000).set(p + "readTimeout", 1000).set(p + "maxConnections", 2)
                .set("channels.c1.type", "memory")
                .set("sinks.k1.type", "null").set("sinks.k1.channel", "c1")
                .writeTo(dir);
        ChildProcess agent = SluiceCli.startAgent(type, dir, conf, "a1",
                "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + metricsPort);
        try {
            Ports.awaitListening(agent, metricsPort, Duration.ofSeconds(60));
        } catch (RuntimeException | AssertionError e) {
            agent.close();
            throw e;
        }
        return agent;
    }

    /** The probes that found the ports listening count against maxConnections until the agent sees them closed. */
    private static void awaitProbesClosed(int metricsPort, String source) {
        await("the port probes closed").atMost(Duration.ofSeconds(10))
                .until(() -> counter(metricsPort, source, "OpenConnectionCount") == 0);
    }

    private static String octetCounted(String message) {
        return message.length() + " " + message;
    }

    private static long counter(int metricsPort, String source, String name) {
        return MetricsJson.counter(metricsPort, "SOURCE." + source, name);
    }
}
