package io.sluice.sql.agent;

import io.sluice.core.registry.ComponentRegistry;
import io.sluice.sql.EngineOptions;
import io.sluice.sql.Row;
import io.sluice.sql.RtsqlEngine;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * When the engine does not take a batch in time (here: a flow's listener that blocks), the source's
 * sender is refused the way a full channel refuses it (HTTP 503), and nothing of the refused batch
 * reaches the stream.
 */
class SourceBackPressureTest {
    @TempDir
    Path dir;

    @Test
    void aBusyEngineMakesTheHttpSourceAnswer503AndLosesNothingItAccepted() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        CountDownLatch firstRow = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<String> seen = new CopyOnWriteArrayList<>();
        AgentSourceProvider provider = new AgentSourceProvider(ComponentRegistry.standard(), dir, Duration.ofMillis(300));
        try (RtsqlEngine engine = new RtsqlEngine(EngineOptions.builder().eventSource(provider).build())) {
            engine.execute("CREATE STREAM ev (user STRING) FROM SOURCE 'http' PROPERTIES ('port' = '" + port + "')");
            engine.execute("SELECT user FROM ev", (Row row) -> {
                seen.add(String.valueOf(row.value(0)));
                firstRow.countDown();
                try {
                    release.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            URI uri = URI.create("http://127.0.0.1:" + port + "/");
            CompletableFuture<HttpResponse<String>> first = client().sendAsync(post(uri, "first"),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(firstRow.await(10, TimeUnit.SECONDS)).as("the first event reached the flow").isTrue();

            HttpResponse<String> refused = client().send(post(uri, "second"), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(503);

            release.countDown();
            assertThat(first.get(10, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
            HttpResponse<String> third = client().send(post(uri, "third"), HttpResponse.BodyHandlers.ofString());
            assertThat(third.statusCode()).isEqualTo(200);
            assertThat(seen).containsExactly("first", "third");
        }
    }

    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    }

    private static HttpRequest post(URI uri, String body) throws IOException {
        return HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString("[{\"headers\":{},\"body\":\"" + body + "\"}]")).build();
    }
}
