package io.sluice.e2e.metrics;

import com.sun.net.httpserver.HttpServer;
import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code bin/sluice agent} with a {@code prometheus} source scraping a test exporter (values the
 * test sets) into a {@code metrics} sink: the query API answers them with the token and refuses
 * without it; after a kill -9, the restarted agent answers them again from its snapshot while the
 * exporter is gone.
 */
class MetricsStoreIT {
    private static final String TOKEN = "e2e-secret";
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @TempDir
    Path dir;

    private HttpResponse<String> query(int port, String q, String token) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/query?q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&last=600000")).timeout(Duration.ofSeconds(20));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void scrapedValuesAreQueriedWithTheTokenAndSurviveAKillNineThroughTheSnapshot() throws Exception {
        AtomicReference<String> exposition = new AtomicReference<>(
                "# TYPE temperature gauge\ntemperature{rack=\"r1\"} 41.5\ntemperature{rack=\"r2\"} 38.25\n");
        HttpServer exporter = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        exporter.createContext("/metrics", ex -> {
            byte[] body = exposition.get().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        exporter.start();
        int queryPort = Ports.free();
        Path snapshot = dir.resolve("store.snapshot");
        Path conf = AgentConfig.of("a1")
                .components("scrape", "c1", "store")
                .set("sources.scrape.type", "prometheus")
                .set("sources.scrape.targets", "127.0.0.1:" + exporter.getAddress().getPort())
                .set("sources.scrape.interval", 1)
                .set("sources.scrape.labels.dc", "jb")
                .set("sources.scrape.channels", "c1")
                .set("channels.c1.type", "memory")
                .set("sinks.store.type", "metrics")
                .set("sinks.store.channel", "c1")
                .set("sinks.store.query.port", queryPort)
                .set("sinks.store.query.token", TOKEN)
                .set("sinks.store.snapshot.file", snapshot)
                .set("sinks.store.snapshot.interval", 1)
                .writeTo(dir);
        try {
            try (ChildProcess agent = SluiceCli.startAgent("metrics-store", dir, conf, "a1")) {
                Ports.awaitListening(agent, queryPort, Duration.ofSeconds(60));
                assertThat(query(queryPort, "temperature", null).statusCode()).isEqualTo(401);
                await("the scraped values in the store").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> query(queryPort, "temperature{dc=\"jb\"}", TOKEN).body(),
                                b -> b.contains("41.5") && b.contains("38.25"));
                HttpResponse<String> avg = query(queryPort, "avg by (dc) (temperature)", TOKEN);
                assertThat(avg.statusCode()).isEqualTo(200);
                assertThat(avg.body()).contains("\"dc\":\"jb\"").contains("39.875");

                // the test controls the values: the next scrapes bring a new one
                exposition.set("# TYPE temperature gauge\ntemperature{rack=\"r1\"} 45.0\n"
                        + "temperature{rack=\"r2\"} 38.25\n");
                await("the new value").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                        .until(() -> query(queryPort, "max by (dc) (temperature)", TOKEN).body(),
                                b -> b.contains("45.0"));
                FileTime seen = FileTime.fromMillis(System.currentTimeMillis());
                await("a snapshot written after the new value was stored").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> Files.exists(snapshot) && Files.getLastModifiedTime(snapshot).compareTo(seen) > 0);
                agent.kill();
                assertThat(agent.isAlive()).isFalse();
            }
            exporter.stop(0); // after the restart, only the snapshot can bring the values back

            try (ChildProcess again = SluiceCli.startAgent("metrics-store-restarted", dir, conf, "a1")) {
                Ports.awaitListening(again, queryPort, Duration.ofSeconds(60));
                again.awaitLine(l -> l.matches(".*restored [1-9][0-9]* series from .*"), "the store restored",
                        Duration.ofSeconds(30));
                HttpResponse<String> back = query(queryPort, "max by (rack) (temperature{dc=\"jb\"})", TOKEN);
                assertThat(back.statusCode()).isEqualTo(200);
                assertThat(back.body()).contains("\"rack\":\"r1\"").contains("45.0").contains("\"rack\":\"r2\"")
                        .contains("38.25");
                await("the failed scrapes of the stopped exporter counted as up 0").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(200))
                        .until(() -> query(queryPort, "min by (job) (up)", TOKEN).body(), b -> b.contains("0.0"));
            }
        } finally {
            exporter.stop(0);
        }
    }
}
