package io.sluice.flume.bridge;

import com.sun.net.httpserver.HttpServer;
import io.sluice.testing.EmbeddedAgent;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Apache Flume's HTTP sink class name, with Flume's own {@code flume-http-sink} 1.11.0 jar installed
 * in {@code plugins.d/flume-http/lib}: the name maps to Sluice's native {@code http} sink (a type
 * name Sluice implements is never looked up in the plugins), run against a local HTTP server.
 */
class FlumeHttpSinkTest {
    private HttpServer server;
    private final List<String> bodies = new ArrayList<>();
    private final AtomicInteger refuseFirst = new AtomicInteger();

    @BeforeEach
    void startServer() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/ingest", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            int code = refuseFirst.getAndDecrement() > 0 ? 400 : 200;
            if (code == 200) {
                synchronized (bodies) {
                    bodies.add(body);
                }
            }
            byte[] reply = (code == 200 ? "ok" : "busy").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(code, reply.length);
            exchange.getResponseBody().write(reply);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private List<String> received() {
        synchronized (bodies) {
            return new ArrayList<>(bodies);
        }
    }

    @Test
    void flumesClassNameRunsTheNativeHttpSinkEvenWithFlumesJarInstalled() throws Exception {
        refuseFirst.set(1);
        String endpoint = "http://127.0.0.1:" + server.getAddress().getPort() + "/ingest";
        try (EmbeddedAgent a = EmbeddedAgent.start("h1", String.join("\n",
                "h1.sources = r1", "h1.channels = c1", "h1.sinks = k1",
                "h1.sources.r1.type = seq", "h1.sources.r1.totalEvents = 20", "h1.sources.r1.channels = c1",
                "h1.channels.c1.type = memory",
                "h1.sinks.k1.type = org.apache.flume.sink.http.HttpSink", "h1.sinks.k1.channel = c1",
                "h1.sinks.k1.endpoint = " + endpoint, "h1.sinks.k1.contentTypeHeader = text/plain",
                "h1.sinks.k1.connectTimeout = 2000", "h1.sinks.k1.requestTimeout = 2000",
                "h1.sinks.k1.backoff.4XX = false", "h1.sinks.k1.rollback.4XX = false",
                "h1.sinks.k1.backoff.200 = false", "h1.sinks.k1.rollback.200 = false",
                "h1.sinks.k1.incrementMetrics.200 = true"))) {
            List<String> expected = new ArrayList<>();
            for (int i = 1; i < 20; i++) {
                expected.add(Integer.toString(i));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> received().size() == 19);
            assertThat(received()).as("event 0 was refused with 400 and, as in Flume, not retried").isEqualTo(expected);
            // EventRejectedCount is the native sink's: Apache Flume's HttpSink has no such counter
            a.awaitCounter("SINK", "k1", "EventRejectedCount", 1, Duration.ofSeconds(10));
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 19, Duration.ofSeconds(10));
        }
    }
}
