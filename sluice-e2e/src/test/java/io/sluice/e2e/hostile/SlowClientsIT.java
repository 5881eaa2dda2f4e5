package io.sluice.e2e.hostile;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Http;
import io.sluice.e2e.support.MetricsJson;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Clients that connect and then stall, trickle or never stop, and more clients than allowed: a
 * running agent closes them on its idle and read timeouts, refuses connections beyond
 * maxConnections, counts both, and keeps serving everyone else, /metrics included.
 */
class SlowClientsIT {
    @TempDir
    Path dir;

    @Test
    void stalledIdleAndSurplusConnectionsAreClosedAndCounted() throws Exception {
        int httpPort = Ports.free();
        int netcatPort = Ports.free();
        int metricsPort = Ports.free();
        Path conf = AgentConfig.of("a1")
                .components("web nc", "c1", "k1")
                .httpSource("web", httpPort, "c1")
                .set("sources.web.idleTimeout", 1000).set("sources.web.readTimeout", 1500)
                .set("sources.web.maxConnections", 20)
                .netcatSource("nc", netcatPort, "c1")
                .set("sources.nc.idleTimeout", 1000).set("sources.nc.readTimeout", 1500)
                .set("sources.nc.maxConnections", 3)
                .set("channels.c1.type", "memory")
                .set("sinks.k1.type", "null").set("sinks.k1.channel", "c1")
                .writeTo(dir);

        try (ChildProcess agent = SluiceCli.startAgent("slow-clients", dir, conf, "a1",
                "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + metricsPort)) {
            Ports.awaitListening(agent, httpPort, Duration.ofSeconds(60));
            Ports.awaitListening(agent, netcatPort, Duration.ofSeconds(60));
            Ports.awaitListening(agent, metricsPort, Duration.ofSeconds(60));

            // http: idle, half a request line, a body that stops half way, a chunked body that never ends.
            try (RawSocket idle = new RawSocket(httpPort);
                    RawSocket halfLine = new RawSocket(httpPort).write("POST / HT");
                    RawSocket halfBody = new RawSocket(httpPort).write("POST / HTTP/1.1\r\nHost: a\r\n"
                            + "Content-Length: 1000\r\n\r\n[{\"body\":\"");
                    RawSocket endless = new RawSocket(httpPort).write("POST / HTTP/1.1\r\nHost: a\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n1\r\n[\r\n")) {
                assertThat(idle.readUntilClosed(Duration.ofSeconds(20))).as("idle connection").isEmpty();
                assertThat(halfLine.readUntilClosed(Duration.ofSeconds(20))).as("half a request line")
                        .startsWith("HTTP/1.1 408");
                assertThat(halfBody.readUntilClosed(Duration.ofSeconds(20))).as("half a body")
                        .startsWith("HTTP/1.1 408");
                // Keep the chunked request alive with a chunk every 300 ms: it is still closed in time.
                String endlessAnswer = endless.trickleUntilClosed("1\r\n,\r\n", Duration.ofMillis(300),
                        Duration.ofSeconds(20));
                assertThat(endlessAnswer).as("never-ending chunked request").isNotNull();
            }
            assertThat(MetricsJson.counter(metricsPort, "SOURCE.web", "ConnectionTimedOutCount")).isEqualTo(4);

            // netcat: an idle connection and half a line are closed.
            try (RawSocket idle = new RawSocket(netcatPort);
                    RawSocket halfLine = new RawSocket(netcatPort).write("no newline yet")) {
                assertThat(idle.readUntilClosed(Duration.ofSeconds(20))).as("idle netcat connection").isEmpty();
                assertThat(halfLine.readUntilClosed(Duration.ofSeconds(20))).as("half a netcat line")
                        .startsWith("FAILED");
            }
            assertThat(MetricsJson.counter(metricsPort, "SOURCE.nc", "ConnectionTimedOutCount")).isEqualTo(2);

            // maxConnections: the fourth netcat connection is closed at once, the three others work.
            List<NetcatClient> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 3; i++) {
                    clients.add(new NetcatClient(netcatPort, Duration.ofSeconds(10)));
                }
                await("three netcat connections open").atMost(Duration.ofSeconds(10))
                        .until(() -> MetricsJson.counter(metricsPort, "SOURCE.nc", "OpenConnectionCount") == 3);
                try (RawSocket surplus = new RawSocket(netcatPort)) {
                    surplus.write("refused\n");
                    assertThat(surplus.readUntilClosed(Duration.ofSeconds(10))).as("surplus connection").isEmpty();
                }
                for (NetcatClient c : clients) {
                    assertThat(c.send("still served")).isEqualTo("OK");
                }
            } finally {
                for (NetcatClient c : clients) {
                    c.close();
                }
            }
            assertThat(MetricsJson.counter(metricsPort, "SOURCE.nc", "ConnectionRefusedCount")).isEqualTo(1);
            assertThat(MetricsJson.counter(metricsPort, "SOURCE.nc", "EventAcceptedCount")).isEqualTo(3);
        }
    }

    @Test
    void halfSentBodiesAcrossConnectionsStayWithinMaxPendingBytes() throws Exception {
        int httpPort = Ports.free();
        int metricsPort = Ports.free();
        Path conf = AgentConfig.of("a1")
                .components("web", "c1", "k1")
                .httpSource("web", httpPort, "c1")
                .set("sources.web.maxPendingBytes", 1 << 20)
                .set("channels.c1.type", "memory")
                .set("sinks.k1.type", "null").set("sinks.k1.channel", "c1")
                .writeTo(dir);
        String head = "POST / HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: "
                + (600 * 1024) + "\r\n\r\n";
        String halfBody = "[" + " ".repeat(400 * 1024);
        try (ChildProcess agent = SluiceCli.startAgent("pending-bytes", dir, conf, "a1",
                "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + metricsPort)) {
            Ports.awaitListening(agent, httpPort, Duration.ofSeconds(60));
            Ports.awaitListening(agent, metricsPort, Duration.ofSeconds(60));
            try (RawSocket first = new RawSocket(httpPort).write(head + halfBody);
                    RawSocket second = new RawSocket(httpPort).write(head + halfBody)) {
                await("two half bodies held").atMost(Duration.ofSeconds(20)).until(() ->
                        MetricsJson.counter(metricsPort, "SOURCE.web", "PendingRequestBytes") >= 800 * 1024);
                try (RawSocket third = new RawSocket(httpPort)) {
                    try {
                        third.write(head + halfBody);
                    } catch (IOException closedByTheAgent) {
                        // the agent may close it before all of it is written
                    }
                    assertThat(third.readUntilClosed(Duration.ofSeconds(20))).as("third half body")
                            .startsWith("HTTP/1.1 503").contains("maxPendingBytes");
                }
                assertThat(MetricsJson.counter(metricsPort, "SOURCE.web", "PendingRequestBytes"))
                        .isLessThanOrEqualTo(1 << 20);
            }
            assertThat(MetricsJson.counter(metricsPort, "SOURCE.web", "PendingBytesRefusedCount")).isEqualTo(1);
            await("the held bytes given back").atMost(Duration.ofSeconds(20)).until(() ->
                    MetricsJson.counter(metricsPort, "SOURCE.web", "PendingRequestBytes") == 0);
        }
    }

    @Test
    void aStalledMetricsClientDoesNotBlockOthers() throws Exception {
        int metricsPort = Ports.free();
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .set("sources.r1.type", "seq").set("sources.r1.totalEvents", 10).set("sources.r1.channels", "c1")
                .set("channels.c1.type", "memory")
                .set("sinks.k1.type", "null").set("sinks.k1.channel", "c1")
                .writeTo(dir);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try (ChildProcess agent = SluiceCli.startAgent("metrics-stall", dir, conf, "a1",
                "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + metricsPort)) {
            Ports.awaitListening(agent, metricsPort, Duration.ofSeconds(60));
            try (RawSocket stalled = new RawSocket(metricsPort).write("GET /metr");
                    RawSocket stalled2 = new RawSocket(metricsPort).write("GET /metrics HTTP/1.1\r\nHost")) {
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + metricsPort + "/metrics"))
                            .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).isEqualTo(200);
                    assertThat(r.body()).contains("SOURCE.r1");
                }
                assertThat(Http.get(metricsPort, "/prometheus").status()).isEqualTo(200);
            }
        }
    }
}
