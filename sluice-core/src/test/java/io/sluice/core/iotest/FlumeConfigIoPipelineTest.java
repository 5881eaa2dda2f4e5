package io.sluice.core.iotest;

import io.sluice.api.config.ConfigProblem;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.ValidationReport;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.runner.Backoff;
import io.sluice.testing.FreePorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A Flume configuration using the I/O components runs on the agent as written. */
class FlumeConfigIoPipelineTest {
    @TempDir
    Path dir;

    @Test
    void netcatThroughInterceptorsIntoFileRoll() throws Exception {
        int port = FreePorts.tcp();
        Path out = dir.resolve("out");
        AgentSpec spec = AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.r1.type = org.apache.flume.source.NetcatSource",
                "a1.sources.r1.bind = 127.0.0.1",
                "a1.sources.r1.port = " + port,
                "a1.sources.r1.channels = c1",
                "a1.sources.r1.interceptors = drop dc id ex",
                "a1.sources.r1.interceptors.ex.type = REGEX_EXTRACTOR",
                "a1.sources.r1.interceptors.ex.regex = ^(\\\\w+) ",
                "a1.sources.r1.interceptors.ex.serializers = s1",
                "a1.sources.r1.interceptors.ex.serializers.s1.name = level",
                "a1.sources.r1.interceptors.drop.type = regex_filter",
                "a1.sources.r1.interceptors.drop.regex = ^DEBUG",
                "a1.sources.r1.interceptors.drop.excludeEvents = true",
                "a1.sources.r1.interceptors.dc.type = static",
                "a1.sources.r1.interceptors.dc.key = dc",
                "a1.sources.r1.interceptors.dc.value = east",
                "a1.sources.r1.interceptors.id.type = org.apache.flume.sink.solr.morphline.UUIDInterceptor$Builder",
                "a1.sources.r1.interceptors.id.headerName = eventId",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.sink.directory = " + out,
                "a1.sinks.k1.sink.serializer = HEADER_AND_TEXT",
                "a1.sinks.k1.sink.serializer.appendNewline = true",
                "a1.sinks.k1.sink.batchSize = 10")), dir.resolve("data"))
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
        ValidationReport report = Agent.validate(spec);
        assertThat(report.ok()).as(report.render()).isTrue();
        assertThat(report.warnings()).as(report.render()).isEmpty();
        try (Agent agent = Agent.create(spec)) {
            agent.start();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.setSoTimeout(15_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                        StandardCharsets.UTF_8));
                socket.getOutputStream().write("INFO up\nDEBUG noise\nWARN slow\n".getBytes(StandardCharsets.UTF_8));
                for (int i = 0; i < 3; i++) {
                    assertThat(in.readLine()).isEqualTo("OK");
                }
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> lines(out).size() == 2);
            List<String> lines = lines(out);
            assertThat(lines.get(0)).matches("\\{dc=east, eventId=[0-9a-f-]{36}, level=INFO\\} INFO up");
            assertThat(lines.get(1)).matches("\\{dc=east, eventId=[0-9a-f-]{36}, level=WARN\\} WARN slow");
        }
    }

    private static List<String> lines(Path out) throws Exception {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(out)) {
            return files.sorted().flatMap(f -> {
                try {
                    return Files.readAllLines(f).stream();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }).collect(Collectors.toList());
        }
    }

    @Test
    void badIoSettingsAreAllListedBeforeAnythingStarts() throws Exception {
        AgentSpec spec = AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n",
                "a1.sources = web cmd tail",
                "a1.channels = c1",
                "a1.sinks = k1",
                "a1.sources.web.type = http",
                "a1.sources.web.port = 70000",
                "a1.sources.web.channels = c1",
                "a1.sources.web.interceptors = f",
                "a1.sources.web.interceptors.f.type = regex_filter",
                "a1.sources.web.interceptors.f.regex = [unclosed",
                "a1.sources.cmd.type = exec",
                "a1.sources.cmd.channels = c1",
                "a1.sources.tail.type = exec",
                "a1.sources.tail.command = tail -F /var/log/app.log",
                "a1.sources.tail.batchSize = 500",
                "a1.sources.tail.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1")), dir.resolve("data"));
        ValidationReport report = Agent.validate(spec);
        assertThat(report.ok()).isFalse();
        assertThat(report.problems()).extracting(ConfigProblem::key).contains("a1.sources.web.port",
                "a1.sources.web.interceptors.f.regex", "a1.sources.cmd.command", "a1.sinks.k1.sink.directory",
                "a1.sources.tail.batchSize");
    }
}
