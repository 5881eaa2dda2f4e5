package io.sluice.flume.bridge;

import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.ValidationReport;
import io.sluice.core.config.OrderedProperties;
import io.sluice.testing.EmbeddedAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the test plugins (compiled against Apache Flume 1.11's API only, loaded from
 * {@code test-plugins/target/plugins.d} with the real Flume API jars) inside real Sluice agents.
 */
class FlumePluginsInAgentTest {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private static List<String> lines(Path file) throws IOException {
        return Files.exists(file) ? Files.readAllLines(file) : List.of();
    }

    @Test
    void eventDrivenSourceInterceptorAndSinkMoveEveryEvent() throws Exception {
        Path out = dir.resolve("out.txt");
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = com.acme.flume.BurstSource",
                "a1.sources.r1.totalEvents = 500", "a1.sources.r1.batchSize = 50",
                "a1.sources.r1.channels = c1",
                "a1.sources.r1.interceptors = i1 i2",
                "a1.sources.r1.interceptors.i1.type = com.acme.flume.TagInterceptor$Builder",
                "a1.sources.r1.interceptors.i1.key = dc", "a1.sources.r1.interceptors.i1.value = eu",
                "a1.sources.r1.interceptors.i2.type = static",
                "a1.sources.r1.interceptors.i2.key = via", "a1.sources.r1.interceptors.i2.value = sluice",
                "a1.channels.c1.type = memory", "a1.channels.c1.capacity = 1000",
                "a1.sinks.k1.type = com.acme.flume.LineFileSink", "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.file = " + out, "a1.sinks.k1.batchSize = 64"))) {
            await().atMost(WAIT).until(() -> lines(out).size() == 500);
            List<String> got = lines(out);
            assertThat(got.get(0)).isEqualTo("{dc=eu, seq=0, via=sluice}\tevent-0");
            assertThat(got.get(499)).isEqualTo("{dc=eu, seq=499, via=sluice}\tevent-499");
            // the plugins' own Flume counters are visible as the agent's counters
            a.awaitCounter("SOURCE", "r1", "EventAcceptedCount", 500, WAIT);
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 500, WAIT);
            assertThat(a.agent().counters().find("SINK", "k1").snapshot()).containsKeys("EventDrainAttemptCount",
                    "BatchEmptyCount", "PluginProcessFail", "StartTime");
        }
    }

    @Test
    void pollableSourceWritesThroughAFlumeSerializerInFileRoll() throws Exception {
        Path rolled = Files.createDirectories(dir.resolve("roll"));
        try (EmbeddedAgent a = EmbeddedAgent.start("a2", String.join("\n",
                "a2.sources = r1", "a2.channels = c1", "a2.sinks = k1",
                "a2.sources.r1.type = com.acme.flume.CountdownSource", "a2.sources.r1.count = 7",
                "a2.sources.r1.channels = c1",
                "a2.sources.r1.interceptors = i1",
                "a2.sources.r1.interceptors.i1.type = com.acme.flume.TagInterceptor$Builder",
                "a2.sources.r1.interceptors.i1.key = n", "a2.sources.r1.interceptors.i1.value = x",
                "a2.channels.c1.type = memory",
                "a2.sinks.k1.type = file_roll", "a2.sinks.k1.channel = c1",
                "a2.sinks.k1.sink.directory = " + rolled, "a2.sinks.k1.sink.rollInterval = 0",
                "a2.sinks.k1.sink.serializer = com.acme.flume.PipeSerializer$Builder",
                "a2.sinks.k1.sink.serializer.header = n", "a2.sinks.k1.sink.serializer.banner = # pipe"))) {
            await().atMost(WAIT).until(() -> rolledLines(rolled).size() == 8);
            assertThat(rolledLines(rolled)).containsExactly("# pipe", "x|tick-0", "x|tick-1", "x|tick-2", "x|tick-3",
                    "x|tick-4", "x|tick-5", "x|tick-6");
            assertThat(a.counter("SOURCE", "r1", "EventAcceptedCount")).isEqualTo(7);
        }
    }

    private static List<String> rolledLines(Path d) throws IOException {
        try (Stream<Path> files = Files.list(d)) {
            List<Path> all = files.sorted().collect(Collectors.toList());
            List<String> out = new ArrayList<>();
            for (Path p : all) {
                out.addAll(Files.readAllLines(p));
            }
            return out;
        }
    }

    @Test
    void flumeSelectorRoutesAndFlumeSinkProcessorDrivesTheGroup() throws Exception {
        Path even = dir.resolve("even.txt");
        Path odd = dir.resolve("odd.txt");
        Path odd2 = dir.resolve("odd2.txt");
        try (EmbeddedAgent a = EmbeddedAgent.start("a3", String.join("\n",
                "a3.sources = r1", "a3.channels = ce co", "a3.sinks = ke ko ko2", "a3.sinkgroups = g1",
                "a3.sources.r1.type = com.acme.flume.BurstSource", "a3.sources.r1.totalEvents = 40",
                "a3.sources.r1.batchSize = 1", "a3.sources.r1.channels = ce co",
                "a3.sources.r1.selector.type = com.acme.flume.ParitySelector",
                "a3.sources.r1.selector.even = ce", "a3.sources.r1.selector.odd = co",
                "a3.channels.ce.type = memory", "a3.channels.co.type = memory",
                "a3.sinks.ke.type = com.acme.flume.LineFileSink", "a3.sinks.ke.channel = ce", "a3.sinks.ke.file = " + even,
                "a3.sinks.ko.type = com.acme.flume.LineFileSink", "a3.sinks.ko.channel = co", "a3.sinks.ko.file = " + odd,
                "a3.sinks.ko.batchSize = 1",
                "a3.sinks.ko2.type = com.acme.flume.LineFileSink", "a3.sinks.ko2.channel = co",
                "a3.sinks.ko2.file = " + odd2, "a3.sinks.ko2.batchSize = 1",
                "a3.sinkgroups.g1.sinks = ko ko2",
                "a3.sinkgroups.g1.processor.type = com.acme.flume.TakeTurnsProcessor",
                "a3.sinkgroups.g1.processor.startWith = ko2"))) {
            await().atMost(WAIT).until(() -> lines(even).size() == 20 && lines(odd).size() + lines(odd2).size() == 20);
            assertThat(lines(even)).allMatch(l -> Long.parseLong(l.replaceAll(".*seq=(\\d+).*", "$1")) % 2 == 0);
            assertThat(lines(odd)).isNotEmpty().allMatch(l -> l.endsWith("1") || l.endsWith("3") || l.endsWith("5")
                    || l.endsWith("7") || l.endsWith("9"));
            assertThat(lines(odd2)).isNotEmpty().first().asString().endsWith("event-1");
        }
    }

    @Test
    void flumeChannelFromTheApiJarsCarriesEvents() throws Exception {
        Path out = dir.resolve("out.txt");
        try (EmbeddedAgent a = EmbeddedAgent.start("a4", String.join("\n",
                "a4.sources = r1", "a4.channels = c1", "a4.sinks = k1",
                "a4.sources.r1.type = seq", "a4.sources.r1.totalEvents = 30", "a4.sources.r1.channels = c1",
                "a4.channels.c1.type = org.apache.flume.channel.PseudoTxnMemoryChannel",
                "a4.sinks.k1.type = com.acme.flume.LineFileSink", "a4.sinks.k1.channel = c1",
                "a4.sinks.k1.file = " + out, "a4.sinks.k1.batchSize = 1"))) {
            await().atMost(WAIT).until(() -> lines(out).size() == 30);
            assertThat(lines(out).get(0)).endsWith("\t0");
            assertThat(lines(out).get(29)).endsWith("\t29");
            assertThat(a.agent().counters().find("CHANNEL", "c1").snapshot()).containsKey("EventPutSuccessCount");
            assertThat(a.counter("CHANNEL", "c1", "EventTakeSuccessCount")).isEqualTo(30);
        }
    }

    @Test
    void aSinkThatThrowsIsCountedAndLosesNothingWhileTheRestOfTheAgentRuns() throws Exception {
        Path out = dir.resolve("out.txt");
        try (EmbeddedAgent a = EmbeddedAgent.start("a5", String.join("\n",
                "a5.sources = r1", "a5.channels = c1 c2", "a5.sinks = bad good",
                "a5.sources.r1.type = com.acme.flume.BurstSource", "a5.sources.r1.totalEvents = 25",
                "a5.sources.r1.batchSize = 5", "a5.sources.r1.channels = c1 c2",
                "a5.channels.c1.type = memory", "a5.channels.c2.type = memory",
                "a5.sinks.bad.type = com.acme.flume.ExplodingSink", "a5.sinks.bad.channel = c1",
                "a5.sinks.good.type = com.acme.flume.LineFileSink", "a5.sinks.good.channel = c2",
                "a5.sinks.good.file = " + out))) {
            a.awaitCounter("SINK", "bad", "PluginProcessFail", 3, WAIT);
            await().atMost(WAIT).until(() -> lines(out).size() == 25);
            assertThat(a.agent().isRunning()).isTrue();
            // every take of the failing sink was rolled back: all 25 events are still in its channel
            a.awaitCounter("CHANNEL", "c1", "ChannelSize", 25, WAIT);
        }
    }

    @Test
    void aSinkThatFailsToStartStaysStoppedAndIsCountedWhileTheAgentRuns() throws Exception {
        Path out = dir.resolve("out.txt");
        try (EmbeddedAgent a = EmbeddedAgent.start("a7", String.join("\n",
                "a7.sources = r1", "a7.channels = c1 c2", "a7.sinks = down good",
                "a7.sources.r1.type = seq", "a7.sources.r1.totalEvents = 10", "a7.sources.r1.channels = c1 c2",
                "a7.channels.c1.type = memory", "a7.channels.c2.type = memory",
                "a7.sinks.down.type = com.acme.flume.UnreachableSink", "a7.sinks.down.channel = c1",
                "a7.sinks.good.type = com.acme.flume.LineFileSink", "a7.sinks.good.channel = c2",
                "a7.sinks.good.file = " + out))) {
            await().atMost(WAIT).until(() -> lines(out).size() == 10);
            assertThat(a.agent().isRunning()).isTrue();
            assertThat(a.counter("SINK", "down", "PluginStartFail")).isEqualTo(1);
            assertThat(a.counter("SINK", "down", "PluginProcessFail")).isZero(); // never called
            assertThat(a.agent().sinks().get("down").lifecycleState()).hasToString("ERROR");
            assertThat(a.counter("CHANNEL", "c1", "ChannelSize")).isEqualTo(10);
        }
    }

    @Test
    void problemsNameTheComponentAndWhatIsWrong() {
        ValidationReport report = Agent.validate(AgentSpec.fromProperties("a6", OrderedProperties.parse(String.join("\n",
                "a6.sources = broken missing wrong", "a6.channels = c1", "a6.sinks = k1",
                "a6.sources.broken.type = com.acme.flume.BrokenConfigSource", "a6.sources.broken.channels = c1",
                "a6.sources.missing.type = com.acme.flume.NoSuchSource", "a6.sources.missing.channels = c1",
                "a6.sources.wrong.type = com.acme.flume.LineFileSink", "a6.sources.wrong.channels = c1",
                "a6.sources.wrong.interceptors = i1",
                "a6.sources.wrong.interceptors.i1.type = com.acme.flume.TagInterceptor",
                "a6.channels.c1.type = memory",
                "a6.sinks.k1.type = com.acme.flume.BurstSource", "a6.sinks.k1.channel = c1")), dir));
        String text = report.problems().stream().map(Object::toString).collect(Collectors.joining("\n"));
        assertThat(report.ok()).isFalse();
        assertThat(text).contains("a6.sources.broken.type = com.acme.flume.BrokenConfigSource: Flume source "
                + "com.acme.flume.BrokenConfigSource rejected its configuration: java.lang.IllegalStateException: "
                + "endpoint is required");
        assertThat(text).contains("a6.sources.missing.type = com.acme.flume.NoSuchSource: class "
                + "com.acme.flume.NoSuchSource was not found in the plugin class path (searched ")
                .contains("test-plugins/target/plugins.d/*/{lib,libext} (4 jars)");
        assertThat(text).contains("a6.sources.wrong.type = com.acme.flume.LineFileSink: class "
                + "com.acme.flume.LineFileSink is a Flume sink, not a source (fix: configure it as a sink instead, and name a source class here)");
        assertThat(text).contains("a6.sources.wrong.interceptors.i1.type = com.acme.flume.TagInterceptor: class "
                + "com.acme.flume.TagInterceptor is a Flume interceptor (not its Builder), not an interceptor "
                + "(Interceptor.Builder) (fix: name its Builder class instead, e.g. com.acme.flume.TagInterceptor$Builder)");
        assertThat(text).contains("a6.sinks.k1.type = com.acme.flume.BurstSource: class com.acme.flume.BurstSource is "
                + "a Flume source, not a sink");
    }
}
