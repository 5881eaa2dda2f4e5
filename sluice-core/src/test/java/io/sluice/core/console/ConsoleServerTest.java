package io.sluice.core.console;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.api.Event;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.core.agent.Topology;
import io.sluice.core.http.HttpEndpointServer.Request;
import io.sluice.core.metrics.MetricsServer;
import io.sluice.core.tap.TapKind;
import io.sluice.core.tap.TapPoint;
import io.sluice.core.tap.TapRegistry;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The console's routes on a real metrics server over loopback. */
class ConsoleServerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Topology TOPOLOGY = new Topology(
            List.of(new Topology.SourceNode("r1", "netcat", List.of("c1"), "replicating", List.of("i1"))),
            List.of(new Topology.ChannelNode("c1", "memory")),
            List.of(new Topology.SinkNode("k1", "logger", "c1")),
            List.of());

    @TempDir
    Path dir;

    private final TapRegistry taps = new TapRegistry();
    private final ProblemLog problems = new ProblemLog(Clock.systemUTC());
    private final HttpClient http = HttpClient.newHttpClient();
    private MetricsServer server;

    @BeforeEach
    void start() throws Exception {
        server = MetricsServer.start("127.0.0.1", 0, "a1", CounterRegistry::new,
                new ConsoleRoutes.Source("a1", taps, () -> TOPOLOGY, problems), dir.resolve("run"));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .timeout(Duration.ofSeconds(20));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        // A deadline on the whole answer: a stream opened by mistake must fail the test, not hang it.
        return http.sendAsync(b.build(), HttpResponse.BodyHandlers.ofString()).get(20, TimeUnit.SECONDS);
    }

    private String bearer() {
        return "Bearer " + server.token().value();
    }

    @Test
    void theTokenIsWrittenForItsOwnerOnlyAndRemovedOnClose() throws Exception {
        Path file = dir.resolve("run").resolve("a1-" + server.port() + ".token");
        assertThat(server.token().file()).isEqualTo(file);
        assertThat(Files.readString(file).trim()).isEqualTo(server.token().value()).hasSizeGreaterThan(40);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        server.close();
        assertThat(file).doesNotExist();
    }

    @Test
    void aRunDirectoryThatCannotBeWrittenLeavesTheCountersServed() throws Exception {
        Path notADirectory = dir.resolve("file");
        Files.writeString(notADirectory, "x");
        try (MetricsServer other = MetricsServer.start("127.0.0.1", 0, "a2", CounterRegistry::new,
                new ConsoleRoutes.Source("a2", taps, () -> TOPOLOGY, problems), notADirectory.resolve("run"))) {
            assertThat(other.token().file()).isNull();
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + other.port()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void aMissingOrWrongTokenGets401AndNothingElse() throws Exception {
        for (String auth : new String[] {null, "Bearer nope", "Basic " + server.token().value(),
                "Bearer " + server.token().value() + "x"}) {
            HttpResponse<String> r = get("/tap?component=k1", auth);
            assertThat(r.statusCode()).as(String.valueOf(auth)).isEqualTo(401);
            assertThat(r.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"sluice\"");
            assertThat(r.body()).doesNotContain("k1").doesNotContain("r1");
        }
        assertThat(taps.point(TapKind.SINK, "k1").openTaps()).isZero();
    }

    @Test
    void anUnknownComponentIs404NamingTheKnownOnes() throws Exception {
        HttpResponse<String> r = get("/tap?component=k2", bearer());
        assertThat(r.statusCode()).isEqualTo(404);
        assertThat(r.body()).contains("no component 'k2'").contains("did you mean 'k1'")
                .contains("sources r1; channels c1; sinks k1");
        assertThat(get("/tap?component=k1&limit=0", bearer()).body()).contains("limit = 0: must be");
    }

    @Test
    void aTapStreamsJsonLinesUpToItsLimit() throws Exception {
        TapPoint point = taps.point(TapKind.SINK, "k1");
        AtomicBoolean stop = new AtomicBoolean();
        Thread publisher = new Thread(() -> {
            int i = 0;
            while (!stop.get()) {
                point.publish(List.of(Event.builder().header("n", String.valueOf(i)).body(("event " + i++)
                        .getBytes(StandardCharsets.UTF_8)).build()));
                Thread.onSpinWait();
            }
        });
        publisher.start();
        try {
            HttpResponse<String> r = get("/tap?component=sinks.k1&limit=3", bearer());
            assertThat(r.statusCode()).isEqualTo(200);
            assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("application/x-ndjson"));
            List<String> lines = r.body().lines().toList();
            assertThat(lines).hasSize(4);
            for (int i = 0; i < 3; i++) {
                JsonNode e = JSON.readTree(lines.get(i));
                assertThat(e.get("component").asText()).isEqualTo("k1");
                assertThat(e.get("kind").asText()).isEqualTo("sink");
                assertThat(e.get("body").asText()).isEqualTo("event " + e.get("headers").get("n").asText());
                assertThat(e.get("bodySize").asInt()).isEqualTo(e.get("body").asText().length());
            }
            assertThat(JSON.readTree(lines.get(3)).has("dropped")).isTrue();
        } finally {
            stop.set(true);
            publisher.join();
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> point.openTaps() == 0);
    }

    @Test
    void aReaderThatDoesNotReadMakesItsTapDropNeverThePublisherWait() throws Exception {
        TapPoint point = taps.point(TapKind.CHANNEL, "c1");
        byte[] body = new byte[1000];
        Arrays.fill(body, (byte) 'x');
        List<Event> batch = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            batch.add(Event.of(Map.of(), body));
        }
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setReceiveBufferSize(4096);
            OutputStream out = s.getOutputStream();
            out.write(("GET /tap?component=c1 HTTP/1.1\r\nHost: x\r\nAuthorization: " + bearer() + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            await().atMost(Duration.ofSeconds(10)).until(point::active);
            // 100 MB offered to a client that reads nothing: the publisher must finish at once.
            for (int i = 0; i < 1000; i++) {
                point.publish(batch);
            }
            assertThat(point.active()).isTrue();
            // Now read: what arrives is bounded, and a dropped line tells how much was lost.
            InputStream in = s.getInputStream();
            StringBuilder seen = new StringBuilder();
            byte[] buf = new byte[65536];
            long dropped = 0;
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (dropped < 90_000 && System.nanoTime() < deadline) {
                int n = in.read(buf);
                if (n < 0) {
                    break;
                }
                seen.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                Matcher m = Pattern.compile("\\{\"dropped\":(\\d+)}").matcher(seen);
                while (m.find()) {
                    dropped = Math.max(dropped, Long.parseLong(m.group(1)));
                }
            }
            assertThat(dropped).isBetween(100_000L - 2000 - TapStreams.TAP_CAPACITY, 100_000L);
            assertThat(seen.toString()).contains("\"component\":\"c1\"", "\"kind\":\"channel\"", "\"truncated\":true");
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> !point.active());
    }

    @Test
    void theConsoleTopologyAndProblemsAreServed() throws Exception {
        HttpResponse<String> index = get("/", null);
        assertThat(index.statusCode()).isEqualTo(200);
        assertThat(index.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
        assertThat(index.body()).contains("console.js");
        assertThat(get("/console.js", null).body()).contains("/topology");
        JsonNode t = JSON.readTree(get("/topology", null).body());
        assertThat(t.get("agent").asText()).isEqualTo("a1");
        assertThat(t.get("sources").get(0).get("channels").get(0).asText()).isEqualTo("c1");
        assertThat(t.get("sinks").get(0).get("channel").asText()).isEqualTo("c1");
        problems.add("WARN", "io.sluice.X", "[a1.sinks.k1] delivery failed");
        JsonNode p = JSON.readTree(get("/problems", null).body());
        assertThat(p.get("total").asLong()).isEqualTo(1);
        assertThat(p.get("recent").get(0).get("message").asText()).isEqualTo("[a1.sinks.k1] delivery failed");
    }

    @Test
    void clientsBeyondLoopbackAreRefused() {
        var routes = ConsoleRoutes.routes(new ConsoleRoutes.Source("a1", taps, () -> TOPOLOGY, problems),
                server.token(), new TapStreams("a1"));
        for (String path : List.of("/", "/tap", "/topology", "/problems", "/console.js")) {
            Request r = new Request(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, path + "?component=k1"),
                    new InetSocketAddress("192.0.2.7", 40000));
            r.http().headers().set("Authorization", bearer());
            assertThat(routes.get(path).answer(r).status()).as(path).isEqualTo(403);
        }
    }
}
