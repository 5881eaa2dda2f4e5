package io.sluice.e2e.hostile;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.MetricsJson;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Many senders of half Avro frames, more connections than allowed, and a client the IP filter
 * denies, against a running agent: the bytes held for partial frames stay within maxPendingBytes,
 * surplus connections are closed, and every refusal is counted.
 */
class AvroLimitsIT {
    private static final int BUDGET = 1 << 20;

    @TempDir
    Path dir;

    @Test
    void partialFramesConnectionsAndDeniedClientsAreBoundedAndCounted() throws Exception {
        int avroPort = Ports.free();
        int filteredPort = Ports.free();
        int metricsPort = Ports.free();
        Path conf = AgentConfig.of("a1")
                .components("r1 r2", "c1", "k1")
                .loopbackSource("r1", "avro", avroPort, "c1")
                .set("sources.r1.maxPendingBytes", BUDGET).set("sources.r1.maxConnections", 12)
                .loopbackSource("r2", "avro", filteredPort, "c1")
                .set("sources.r2.ipFilter", true).set("sources.r2.ipFilterRules", "deny:ip:127.0.0.1")
                .set("channels.c1.type", "memory")
                .set("sinks.k1.type", "null").set("sinks.k1.channel", "c1")
                .writeTo(dir);

        List<Socket> senders = new ArrayList<>();
        try (ChildProcess agent = SluiceCli.startAgent("avro-limits", dir, conf, "a1",
                "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + metricsPort)) {
            Ports.awaitListening(agent, avroPort, Duration.ofSeconds(60));
            Ports.awaitListening(agent, metricsPort, Duration.ofSeconds(60));
            // Eight senders, one after the other, each declare a 512 KiB frame and send half of it:
            // 2 MiB would be held without a budget.
            for (int i = 0; i < 8; i++) {
                long before = held(metricsPort) + refused(metricsPort);
                Socket s = connect(avroPort);
                senders.add(s);
                OutputStream out = s.getOutputStream();
                try {
                    out.write(ByteBuffer.allocate(12).putInt(i).putInt(1).putInt(512 * 1024).array());
                    out.write(new byte[256 * 1024]);
                    out.flush();
                } catch (IOException closedByTheAgent) {
                    // expected for the senders beyond the budget
                }
                await("sender " + i + " held or refused").atMost(Duration.ofSeconds(20))
                        .until(() -> held(metricsPort) + refused(metricsPort) > before);
            }
            assertThat(refused(metricsPort)).as("senders refused").isGreaterThanOrEqualTo(4);
            assertThat(held(metricsPort)).isBetween((long) BUDGET / 2, (long) BUDGET);

            // Twelve connections at most: open more than that and the surplus is closed.
            for (int i = 0; i < 12; i++) {
                senders.add(connect(avroPort));
            }
            await("surplus connections refused").atMost(Duration.ofSeconds(20))
                    .until(() -> MetricsJson.counter(metricsPort, "SOURCE.r1", "ConnectionRefusedCount") >= 1);
            assertThat(MetricsJson.counter(metricsPort, "SOURCE.r1", "OpenConnectionCount")).isLessThanOrEqualTo(12);

            try (Socket denied = connect(filteredPort)) {
                denied.setSoTimeout(10_000);
                assertThat(denied.getInputStream().read()).as("a denied client is closed").isEqualTo(-1);
            } catch (IOException reset) {
                // closed by the agent as well
            }
            await("the denied client counted").atMost(Duration.ofSeconds(20))
                    .until(() -> MetricsJson.counter(metricsPort, "SOURCE.r2", "ConnectionDeniedCount") == 1);
            assertThat(agent.output()).contains("denied a connection from");
        } finally {
            for (Socket s : senders) {
                s.close();
            }
        }
    }

    private static long held(int metricsPort) {
        return MetricsJson.counter(metricsPort, "SOURCE.r1", "PendingRequestBytes");
    }

    private static long refused(int metricsPort) {
        return MetricsJson.counter(metricsPort, "SOURCE.r1", "PendingBytesRefusedCount");
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        return s;
    }
}
