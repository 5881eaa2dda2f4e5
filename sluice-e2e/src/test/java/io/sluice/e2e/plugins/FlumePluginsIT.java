package io.sluice.e2e.plugins;

import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Distribution;
import io.sluice.e2e.support.FlumePeer;
import io.sluice.e2e.support.Http;
import io.sluice.e2e.support.MetricsJson;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The test plugins ({@code com.acme.flume.*}, written against Apache Flume 1.11's API only) in a
 * {@code plugins.d} directory, run by the built distribution as a user runs it, and the same jar
 * and configuration run by Apache Flume 1.11: both must write the same files.
 */
class FlumePluginsIT {
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    static Path pluginsDir() {
        Path p = Distribution.home().resolve("sluice-flume-bridge/test-plugins/target/plugins.d");
        assertThat(p.resolve("acme/lib")).as("build sluice-flume-bridge/test-plugins first").isDirectory();
        return p;
    }

    static List<Path> pluginJars() throws IOException {
        try (Stream<Path> s = Files.list(pluginsDir().resolve("acme/lib"))) {
            return s.filter(p -> p.toString().endsWith(".jar")).toList();
        }
    }

    /**
     * An event-driven source with a plugin interceptor and a plugin selector, a pollable source,
     * a plugin sink and file_roll with a plugin serializer.
     */
    private static String config(Path out, Path rolled) {
        return String.join("\n",
                "a1.sources = burst ticks", "a1.channels = even odd", "a1.sinks = lines roll",
                "a1.sources.burst.type = com.acme.flume.BurstSource",
                "a1.sources.burst.totalEvents = 200", "a1.sources.burst.batchSize = 20",
                "a1.sources.burst.channels = even odd",
                "a1.sources.burst.interceptors = tag",
                "a1.sources.burst.interceptors.tag.type = com.acme.flume.TagInterceptor$Builder",
                "a1.sources.burst.interceptors.tag.key = dc", "a1.sources.burst.interceptors.tag.value = eu-1",
                "a1.sources.burst.interceptors.tag.dropPrefix = event-19",
                "a1.sources.burst.selector.type = com.acme.flume.ParitySelector",
                "a1.sources.burst.selector.even = even", "a1.sources.burst.selector.odd = odd",
                "a1.sources.ticks.type = com.acme.flume.CountdownSource", "a1.sources.ticks.count = 20",
                "a1.sources.ticks.channels = even",
                "a1.channels.even.type = memory", "a1.channels.even.capacity = 1000",
                "a1.channels.odd.type = memory", "a1.channels.odd.capacity = 1000",
                "a1.sinks.lines.type = com.acme.flume.LineFileSink", "a1.sinks.lines.channel = even",
                "a1.sinks.lines.file = " + out, "a1.sinks.lines.batchSize = 50",
                "a1.sinks.roll.type = file_roll", "a1.sinks.roll.channel = odd",
                "a1.sinks.roll.sink.directory = " + rolled, "a1.sinks.roll.sink.rollInterval = 0",
                "a1.sinks.roll.sink.serializer = com.acme.flume.PipeSerializer$Builder",
                "a1.sinks.roll.sink.serializer.header = dc", "a1.sinks.roll.sink.serializer.banner = # odd events",
                "");
    }

    // 200 events minus the 11 the interceptor drops (event-19, event-190..199): 95 even and 94 odd,
    // plus the 20 ticks in the even file and the banner line in the rolled file
    private static final int EVEN_LINES = 95 + 20;
    private static final int ODD_LINES = 94 + 1;

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    private record Output(List<String> lines, List<String> rolled) {
    }

    private Output run(String who, Path work, boolean flume) throws Exception {
        Path out = work.resolve("out.txt");
        Path rolled = Files.createDirectories(work.resolve("rolled"));
        Path conf = work.resolve("agent.conf");
        Files.writeString(conf, config(out, rolled));
        try (ChildProcess agent = flume
                ? FlumePeer.startAgent(who, work, conf, "a1", pluginJars())
                : SluiceCli.start(who, work, withPlugins(), List.of("agent", "-n", "a1", "-f", conf.toString(),
                        "--no-reload-conf", "--data-dir", work.resolve("data").toString()))) {
            await(who + " writes every event").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .failFast(() -> !agent.isAlive())
                    .until(() -> lines(out).size() >= EVEN_LINES && RolledFiles.lines(rolled).size() >= ODD_LINES);
            List<String> sorted = new ArrayList<>(lines(out));
            sorted.sort(null);
            return new Output(sorted, RolledFiles.lines(rolled));
        }
    }

    private static List<String> withPlugins() {
        List<String> jvm = new ArrayList<>(Distribution.TEST_JVM_OPTIONS);
        jvm.add("-Dsluice.plugins.path=" + pluginsDir());
        return jvm;
    }

    @Test
    void theSamePluginJarAndConfigurationWriteTheSameFilesUnderSluiceAndUnderApacheFlume() throws Exception {
        Output sluice = run("sluice-plugins", Files.createDirectories(dir.resolve("sluice")), false);
        Output flume = run("flume-plugins", Files.createDirectories(dir.resolve("flume")), true);

        assertThat(sluice.lines()).hasSize(EVEN_LINES).contains("{dc=eu-1, seq=0}\tevent-0", "{}\ttick-19")
                .doesNotContain("{dc=eu-1, seq=19}\tevent-19");
        assertThat(sluice.rolled()).hasSize(ODD_LINES).startsWith("# odd events", "eu-1|event-1", "eu-1|event-3");
        assertThat(sluice.lines()).isEqualTo(flume.lines());
        assertThat(sluice.rolled()).isEqualTo(flume.rolled());
    }

    private static String httpConfig(int port, Path out) {
        return String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = http", "a1.sources.r1.bind = 127.0.0.1", "a1.sources.r1.port = " + port,
                "a1.sources.r1.handler = com.acme.flume.LinesHandler", "a1.sources.r1.handler.header = from",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = com.acme.flume.LineFileSink", "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.file = " + out, "a1.sinks.k1.batchSize = 1", "");
    }

    private static int post(int port, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + port + "/"))
                .header("X-Origin", "shop-7").header("Content-Type", "text/plain; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    @Test
    void aFlumeHttpSourceHandlerDecodesRequestsUnderSluiceAsUnderApacheFlume() throws Exception {
        List<List<String>> outputs = new ArrayList<>();
        for (boolean flume : new boolean[] {false, true}) {
            Path work = Files.createDirectories(dir.resolve(flume ? "flume" : "sluice"));
            Path out = work.resolve("out.txt");
            int port = Ports.free();
            Path conf = work.resolve("agent.conf");
            Files.writeString(conf, httpConfig(port, out));
            String who = (flume ? "flume" : "sluice") + "-http-handler";
            try (ChildProcess agent = flume ? FlumePeer.startAgent(who, work, conf, "a1", pluginJars())
                    : SluiceCli.start(who, work, withPlugins(), List.of("agent", "-n", "a1", "-f", conf.toString(),
                            "--no-reload-conf", "--data-dir", work.resolve("data").toString()))) {
                Ports.awaitListening(agent, port, WAIT);
                assertThat(post(port, "first\n\nsecond\n")).isEqualTo(200);
                assertThat(post(port, "\n")).as("the handler's HTTPBadRequestException").isEqualTo(400);
                assertThat(post(port, "third\n")).isEqualTo(200);
                await(who + " writes the lines").atMost(WAIT).until(() -> lines(out).size() >= 3);
                outputs.add(lines(out));
            }
        }
        assertThat(outputs.get(0)).containsExactly("{from=shop-7}\tfirst", "{from=shop-7}\tsecond",
                "{from=shop-7}\tthird");
        assertThat(outputs.get(0)).isEqualTo(outputs.get(1));
    }

    @Test
    void aFailingPluginIsCountedAndTheRestOfTheAgentKeepsDelivering() throws Exception {
        int metricsPort = Ports.free();
        Path out = dir.resolve("good.txt");
        Path conf = dir.resolve("agent.conf");
        Files.writeString(conf, String.join("\n",
                "a1.sources = r1", "a1.channels = c1 c2", "a1.sinks = bad good",
                "a1.sources.r1.type = com.acme.flume.BurstSource", "a1.sources.r1.totalEvents = 50",
                "a1.sources.r1.batchSize = 10", "a1.sources.r1.channels = c1 c2",
                "a1.channels.c1.type = memory", "a1.channels.c2.type = memory",
                "a1.sinks.bad.type = com.acme.flume.ExplodingSink", "a1.sinks.bad.channel = c1",
                "a1.sinks.good.type = com.acme.flume.LineFileSink", "a1.sinks.good.channel = c2",
                "a1.sinks.good.file = " + out, ""));
        List<String> args = List.of("agent", "-n", "a1", "-f", conf.toString(), "--no-reload-conf", "--data-dir",
                dir.resolve("data").toString(), "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + metricsPort,
                "-Dsluice.plugins.path=" + pluginsDir()); // the agent command's -D reaches the plugin lookup too
        try (ChildProcess agent = SluiceCli.start("sluice-failing-plugin", dir, Distribution.TEST_JVM_OPTIONS, args)) {
            Ports.awaitListening(agent, metricsPort, WAIT);
            await("the good sink delivers everything").atMost(WAIT).until(() -> lines(out).size() == 50);
            await("the bad sink's failures are counted").atMost(WAIT)
                    .until(() -> MetricsJson.counter(metricsPort, "SINK.bad", "PluginProcessFail") >= 2);
            Map<String, Map<String, String>> m = MetricsJson.fetch(metricsPort);
            assertThat(m.get("SOURCE.r1")).containsEntry("EventAcceptedCount", "50"); // the plugin's own counter
            assertThat(m.get("SINK.good")).containsEntry("EventDrainSuccessCount", "50");
            assertThat(m.get("CHANNEL.c1")).containsEntry("ChannelSize", "50"); // rolled back, nothing lost
            assertThat(Http.get(metricsPort, "/prometheus").body().lines())
                    .anyMatch(l -> l.startsWith("sluice_plugin_process_fail_total{") && l.contains("component=\"bad\""))
                    .anyMatch(l -> l.startsWith("sluice_event_accepted_total{") && l.contains("component=\"r1\"")
                            && l.endsWith(" 50"));
            assertThat(agent.isAlive()).isTrue();
            assertThat(agent.output()).contains("[a1.sinks.bad] Flume sink com.acme.flume.ExplodingSink failed");
        }
    }

    @Test
    void validateNamesPluginsThatRejectTheirConfigurationAreMissingOrOfTheWrongKind() throws Exception {
        Path conf = dir.resolve("agent.conf");
        Files.writeString(conf, String.join("\n",
                "a1.sources = broken missing", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.broken.type = com.acme.flume.BrokenConfigSource", "a1.sources.broken.channels = c1",
                "a1.sources.missing.type = com.acme.flume.NotInstalledSource", "a1.sources.missing.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = com.acme.flume.CountdownSource", "a1.sinks.k1.channel = c1", ""));
        try (ChildProcess p = SluiceCli.start("sluice-validate-plugins", dir, withPlugins(),
                List.of("validate", "-n", "a1", "-f", conf.toString()))) {
            int code = p.awaitExit(WAIT);
            String all = p.output();
            assertThat(code).as(all).isNotZero();
            assertThat(all).contains("a1.sources.broken.type = com.acme.flume.BrokenConfigSource: Flume source "
                    + "com.acme.flume.BrokenConfigSource rejected its configuration: java.lang.IllegalStateException: "
                    + "endpoint is required");
            assertThat(all).contains("a1.sources.missing.type = com.acme.flume.NotInstalledSource: class "
                    + "com.acme.flume.NotInstalledSource was not found in the plugin class path (searched "
                    + pluginsDir() + "/*/{lib,libext} (4 jars))");
            assertThat(all).contains("a1.sinks.k1.type = com.acme.flume.CountdownSource: class "
                    + "com.acme.flume.CountdownSource is a Flume source, not a sink");
        }
    }
}
