package io.sluice.core.config.source;

import com.sun.net.httpserver.HttpServer;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.AgentSupervisor;
import io.sluice.core.agent.ValidationReport;
import io.sluice.core.runner.Backoff;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * Configuration sources against a real HTTP server on 127.0.0.1 whose content the test changes:
 * merging in order (later keys win), basic authentication, reload from a URL, and the errors.
 */
class ConfigSourcesTest {
    @TempDir
    Path dir;

    private HttpServer server;
    private final AtomicReference<String> served = new AtomicReference<>("");
    private final AtomicReference<String> requiredAuth = new AtomicReference<>();

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/flume.conf", exchange -> {
            String auth = requiredAuth.get();
            byte[] body = served.get().getBytes(StandardCharsets.UTF_8);
            if (auth != null && !("Basic " + auth).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
                exchange.sendResponseHeaders(401, -1);
            } else {
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/flume.conf";
    }

    private static String pipeline(String sink, int total) {
        return String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = " + sink,
                "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = " + total, "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks." + sink + ".type = null", "a1.sinks." + sink + ".channel = c1", "");
    }

    @Test
    void laterSourcesOverrideEarlierKeysAndKeepTheirPosition() throws Exception {
        Path base = Files.writeString(dir.resolve("base.conf"), "a1.sources = r1\na1.channels.c1.capacity = 100\n");
        served.set("a1.channels.c1.capacity = 500\na1.sinks = k1\n");
        Path last = Files.writeString(dir.resolve("last.conf"), "a1.sinks = k9\n");

        Map<String, String> merged = ConfigSources.merge(List.of(new FileConfigSource(base),
                ConfigSources.fromUri(url(), null, null), ConfigSources.fromUri(last.toUri().toString(), null, null)));

        assertThat(merged).containsExactly(Map.entry("a1.sources", "r1"), Map.entry("a1.channels.c1.capacity", "500"),
                Map.entry("a1.sinks", "k9"));
    }

    @Test
    void basicAuthenticationIsSentAndARefusalSaysWhatToPass() throws Exception {
        requiredAuth.set(Base64.getEncoder().encodeToString("flume:s3cret".getBytes(StandardCharsets.UTF_8)));
        served.set("a1.sources = r1\n");

        assertThat(ConfigSources.fromUri(url(), "flume", "s3cret").read().properties())
                .containsEntry("a1.sources", "r1");
        assertThatThrownBy(() -> ConfigSources.fromUri(url(), null, null).read())
                .hasMessageContaining("HTTP 401").hasMessageContaining("pass --conf-user and --conf-password");
        assertThatThrownBy(() -> ConfigSources.fromUri(url(), "flume", "wrong").read())
                .hasMessageContaining("check --conf-user and --conf-password");
    }

    @Test
    void unreadableSourceIsOneProblemNamingIt() {
        String missing = "http://127.0.0.1:" + server.getAddress().getPort() + "/nothing.conf";
        ValidationReport r = Agent.validate(AgentSpec.fromSources("a1",
                List.of(ConfigSources.fromUri(missing, null, null)), Map.of(), dir));
        assertThat(r.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo(missing);
            assertThat(p.rule()).contains("HTTP 404");
        });
    }

    @Test
    void unsupportedSchemeIsRefusedWithTheAccepted() {
        assertThatThrownBy(() -> ConfigSources.fromUri("classpath:flume.conf", null, null))
                .hasMessageContaining("scheme 'classpath' is not supported (expected: http, https or file)");
    }

    @Test
    void anAgentReloadsWhenTheUrlServesANewConfiguration() throws Exception {
        Path base = Files.writeString(dir.resolve("base.conf"), pipeline("k1", 20));
        served.set("a1.sources.r1.batchSize = 5\n");
        AgentSpec spec = AgentSpec.fromSources("a1", List.of(new FileConfigSource(base),
                        ConfigSources.fromUri(url(), null, null)), Map.of(), dir.resolve("data"))
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));
        try (AgentSupervisor sup = new AgentSupervisor(spec, true, Duration.ofMillis(100))) {
            sup.start();
            Agent first = sup.current();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    first.counters().find("SINK", "k1").get(SinkCounter.DRAIN_SUCCESS) == 20);

            // The URL comes later, so its sink list overrides the file's.
            served.set("a1.sinks = k2\na1.sinks.k2.type = null\na1.sinks.k2.channel = c1\n");
            await().atMost(Duration.ofSeconds(30)).until(() -> sup.reloads() == 1);
            Agent second = sup.current();
            assertThat(second.counters().find("SINK", "k1")).isNull();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    second.counters().find("SINK", "k2").get(SinkCounter.DRAIN_SUCCESS) == 20);

            // A source that cannot be read (404 now) keeps the running agent.
            server.removeContext("/flume.conf");
            await().atMost(Duration.ofSeconds(30)).until(() -> sup.unreadableChecks() >= 2);
            assertThat(sup.current()).isSameAs(second);
            assertThat(second.isRunning()).isTrue();
            assertThat(sup.reloads()).isEqualTo(1);
        }
    }

    @Test
    void httpBodyIsUtf8UnlessTheServerNamesAnotherCharset() throws Exception {
        served.set("a1.sources.r1.x = caf\u00e9 \u2713\n");
        assertThat(ConfigSources.fromUri(url(), null, null).read().properties())
                .containsEntry("a1.sources.r1.x", "caf\u00e9 \u2713");

        server.createContext("/latin1.conf", exchange -> {
            byte[] body = "a1.sources.r1.x = caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
            exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=ISO-8859-1");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        String latin1 = "http://127.0.0.1:" + server.getAddress().getPort() + "/latin1.conf";
        assertThat(ConfigSources.fromUri(latin1, null, null).read().properties())
                .containsEntry("a1.sources.r1.x", "caf\u00e9");
    }

    @Test
    void httpSourceRequiresAnHttpUrl() {
        assertThatThrownBy(() -> new HttpConfigSource(URI.create("ftp://x/y"), null, null))
                .hasMessageContaining("expected: an http or https URL");
    }

    @Test
    void backupCopyIsWrittenAfterEachReadAndUsedWhenTheServerIsDown() throws Exception {
        served.set("a1.sources = r1\na1.sources.r1.command = echo a=b c\\\\d \u00e9 \u2713\n");
        Path backups = dir.resolve("backup");
        BackupConfigSource source = new BackupConfigSource(List.of(ConfigSources.fromUri(url(), null, null)), backups, "a1");

        Map<String, String> first = source.read().properties();
        assertThat(source.backupFile()).isEqualTo(backups.resolve(".a1.properties")).exists();

        server.stop(0);
        ConfigSource.Content fallback = source.read();
        assertThat(fallback.properties()).isEqualTo(first)
                .containsEntry("a1.sources.r1.command", "echo a=b c\\d \u00e9 \u2713");

        BackupConfigSource noCopy = new BackupConfigSource(List.of(ConfigSources.fromUri(url(), null, null)),
                dir.resolve("empty"), "a1");
        assertThatThrownBy(noCopy::read).hasMessageContaining("no copy in " + dir.resolve("empty").resolve(".a1.properties"));
        startServer();
    }

    @Test
    void aSecondReadAsksIfModifiedSinceAndA304KeepsTheContent() throws Exception {
        List<String> sinceHeaders = new CopyOnWriteArrayList<>();
        server.createContext("/dated.conf", exchange -> {
            String since = exchange.getRequestHeaders().getFirst("If-Modified-Since");
            sinceHeaders.add(String.valueOf(since));
            if ("Sun, 06 Dec 2026 10:00:00 GMT".equals(since)) {
                exchange.sendResponseHeaders(304, -1);
            } else {
                byte[] body = "a1.sources = r1\n".getBytes(StandardCharsets.ISO_8859_1);
                exchange.getResponseHeaders().add("Last-Modified", "Sun, 06 Dec 2026 10:00:00 GMT");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        ConfigSource source = ConfigSources.fromUri(
                "http://127.0.0.1:" + server.getAddress().getPort() + "/dated.conf", null, null);

        ConfigSource.Content first = source.read();
        ConfigSource.Content second = source.read();

        assertThat(sinceHeaders).containsExactly("null", "Sun, 06 Dec 2026 10:00:00 GMT");
        assertThat(second.properties()).isEqualTo(first.properties()).containsEntry("a1.sources", "r1");
        assertThat(second.raw()).isEqualTo(first.raw());
    }
}
