package io.sluice.metrics.sink;

import io.sluice.metrics.store.MetricsStore;
import io.sluice.metrics.store.RingSpec;
import io.sluice.metrics.store.SeriesKey;
import io.sluice.metrics.store.ValueType;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Queries run on the query API's worker pool, not on its event loop: while queries are held on
 * a latch in every worker (more of them than the server has network threads), the server still
 * answers other requests; a full queue is answered 503 at once, and a query past its timeout 503.
 */
class QueryOffloadTest {
    private static final long NOW = 100 * 60_000L;

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private QueryServer server;
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    private MetricsStore store() {
        MetricsStore store = new MetricsStore(RingSpec.parseList(RingSpec.DEFAULT), 1000);
        for (int h = 0; h < 10; h++) {
            store.add(SeriesKey.of("temperature", Map.of("rack", "r" + (h % 2), "host", "h" + h)), ValueType.DOUBLE,
                    NOW - 30_000, 20 + h);
        }
        return store;
    }

    private CompletableFuture<HttpResponse<String>> query(String q) {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/api/query?q="
                + URLEncoder.encode(q, StandardCharsets.UTF_8) + "&last=600000"))
                .header("Authorization", "Bearer secret").timeout(Duration.ofSeconds(20)).build();
        return http.sendAsync(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void heldQueriesInEveryWorkerDoNotHoldUpOtherRequests() throws Exception {
        Semaphore started = new Semaphore(0);
        // 3 workers: more queries held at once than the server's 2 network threads
        server = QueryServer.start("a1.sinks.k1", store(), Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                new QueryServer.Settings("127.0.0.1", 0, "secret", dir, "a1", 3, 1, 60_000), () -> {
                    started.release();
                    release.await();
                });
        List<CompletableFuture<HttpResponse<String>>> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(query("avg by (rack) (temperature)"));
        }
        assertThat(started.tryAcquire(3, 20, TimeUnit.SECONDS)).as("every worker holds a query").isTrue();
        CompletableFuture<HttpResponse<String>> queued = query("temperature{host=\"h1\"}");
        // the client sends asynchronously: the next query must not overtake this one into the queue
        Awaitility.await().atMost(Duration.ofSeconds(20)).until(() -> server.queriesWaiting() == 1);

        // the event loops are free: a request without the token and one past the full queue are answered now
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/api/query?q=temperature")).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
        HttpResponse<String> refused = query("temperature").get(10, TimeUnit.SECONDS);
        assertThat(refused.statusCode()).isEqualTo(503);
        assertThat(refused.body()).contains("too many queries").contains("query.queueSize=1");
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(held).allSatisfy(f -> assertThat(f).isNotDone());
        assertThat(queued).isNotDone();

        release.countDown();
        for (CompletableFuture<HttpResponse<String>> f : held) {
            HttpResponse<String> r = f.get(20, TimeUnit.SECONDS);
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.body()).contains("\"rack\":\"r0\"").contains("\"rack\":\"r1\"");
        }
        HttpResponse<String> q = queued.get(20, TimeUnit.SECONDS);
        assertThat(q.statusCode()).isEqualTo(200);
        assertThat(q.body()).contains("\"host\":\"h1\"").contains("21.0");
    }

    @Test
    void aQueryPastItsTimeoutIsAnswered503AndStopped() throws Exception {
        CountDownLatch interrupted = new CountDownLatch(1);
        server = QueryServer.start("a1.sinks.k1", store(), Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                new QueryServer.Settings("127.0.0.1", 0, "secret", dir, "a1", 1, 4, 300), () -> {
                    try {
                        release.await(); // released only after the test: the timeout ends it
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                });
        HttpResponse<String> r = query("temperature").get(20, TimeUnit.SECONDS);
        assertThat(r.statusCode()).isEqualTo(503);
        assertThat(r.body()).contains("\"errorType\":\"timeout\"").contains("300 ms (query.timeout)");
        assertThat(interrupted.await(10, TimeUnit.SECONDS)).as("the worker was interrupted").isTrue();
    }
}
