package io.sluice.cli;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.config.OrderedProperties;
import io.sluice.sql.agent.http.ServerAddress;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sluice agent --rtsql-server}: the running agent registers, tees what the server wants, and
 * shows the tee's counters in its metrics. The server is a minimal one speaking the node protocol
 * over a real socket (the full protocol is tested in sluice-sql-agent).
 */
class RunningAgentTeeTest {
    @TempDir
    Path dir;

    @Test
    void theAgentRegistersTeesItsSourceAndShowsTheTeeInItsMetrics() throws Exception {
        AtomicInteger lines = new AtomicInteger();
        CountDownLatch stop = new CountDownLatch(1);
        ExecutorService pool = Executors.newCachedThreadPool();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 10);
        server.setExecutor(pool);
        server.createContext("/v1/nodes/", ex -> answer(ex, lines, stop));
        server.start();
        AgentSpec spec = AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = seq",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = null",
                "a1.sinks.k1.channel = c1")), dir);
        ServerAddress address = ServerAddress.of("127.0.0.1:" + server.getAddress().getPort(), "tok", false, null);
        try (RunningAgent agent = RunningAgent.start(spec, false, Duration.ofSeconds(30),
                new MetricsSettings(true, "127.0.0.1", 0), address)) {
            await().atMost(Duration.ofSeconds(30)).until(() -> lines.get() >= 1000);
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String metrics = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + agent.metricsPort()
                        + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
                assertThat(metrics).contains("\"TEE.rtsql\"").contains("\"Registered\":\"1\"")
                        .contains("\"OpenTeeCount\":\"1\"").containsPattern("\"EventTeedCount\":\"[1-9]");
            });
        } finally {
            stop.countDown();
            server.stop(0);
            pool.shutdownNow();
        }
    }

    private static void answer(HttpExchange ex, AtomicInteger lines, CountDownLatch stop) throws IOException {
        try (ex) {
            if (!"Bearer tok".equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                ex.sendResponseHeaders(401, -1);
                return;
            }
            if ("GET".equals(ex.getRequestMethod())) {
                ex.sendResponseHeaders(200, 0);
                OutputStream out = ex.getResponseBody();
                out.write("{\"tees\":[\"r1\"]}\n".getBytes(StandardCharsets.UTF_8));
                out.flush();
                stop.await(60, TimeUnit.SECONDS);
                return;
            }
            try (InputStream in = ex.getRequestBody()) {
                lines.addAndGet((int) new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().count());
            }
            ex.sendResponseHeaders(204, -1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
