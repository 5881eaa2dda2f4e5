package io.sluice.flume.bridge;

import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.config.OrderedProperties;
import io.sluice.testing.EmbeddedAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A Flume {@code EventDeserializer$Builder} from plugins.d ({@code com.acme.flume.SemicolonDeserializer},
 * compiled against Flume's API only) as the {@code deserializer} of Sluice's spooldir source, with
 * its {@code deserializer.*} keys; a channel far smaller than the file makes the source roll back
 * and reset the deserializer to its mark again and again.
 */
class FlumeSpoolDeserializerTest {
    @TempDir
    Path dir;

    @Test
    void aFlumeDeserializerReadsEverySpooledRecordOnceInOrder() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        Path out = dir.resolve("out.txt");
        StringBuilder text = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            text.append("rec ").append(i).append(i % 7 == 0 ? ";\n" : "; ");
            expected.add("{basename=in.txt, format=semicolon}\tr:rec " + i);
        }
        text.append("grüße;");
        expected.add("{basename=in.txt, format=semicolon}\tr:grüße");
        Files.writeString(dir.resolve("in.txt"), text, StandardCharsets.UTF_8);
        Files.move(dir.resolve("in.txt"), spool.resolve("in.txt"));
        try (EmbeddedAgent a = EmbeddedAgent.start("s1", String.join("\n",
                "s1.sources = r1", "s1.channels = c1", "s1.sinks = k1",
                "s1.sources.r1.type = spooldir", "s1.sources.r1.spoolDir = " + spool,
                "s1.sources.r1.deserializer = com.acme.flume.SemicolonDeserializer$Builder",
                "s1.sources.r1.deserializer.prefix = r:", "s1.sources.r1.basenameHeader = true",
                "s1.sources.r1.batchSize = 4", "s1.sources.r1.pollDelay = 50", "s1.sources.r1.channels = c1",
                "s1.channels.c1.type = memory", "s1.channels.c1.capacity = 5", "s1.channels.c1.transactionCapacity = 4",
                "s1.sinks.k1.type = com.acme.flume.LineFileSink", "s1.sinks.k1.channel = c1",
                "s1.sinks.k1.file = " + out, "s1.sinks.k1.batchSize = 1"))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(spool.resolve("in.txt.COMPLETED"))
                    && Files.exists(out) && Files.readAllLines(out, StandardCharsets.UTF_8).size() >= expected.size());
            assertThat(Files.readAllLines(out, StandardCharsets.UTF_8)).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void aClassThatIsNotADeserializerBuilderIsAProblem() {
        var report = Agent.validate(AgentSpec.fromProperties("s2", OrderedProperties.parse(String.join("\n",
                "s2.sources = r1", "s2.channels = c1", "s2.sinks = k1",
                "s2.sources.r1.type = spooldir", "s2.sources.r1.spoolDir = " + dir,
                "s2.sources.r1.deserializer = com.acme.flume.CountingSink", "s2.sources.r1.channels = c1",
                "s2.channels.c1.type = memory", "s2.sinks.k1.type = null", "s2.sinks.k1.channel = c1")), dir));
        assertThat(report.problems()).map(Object::toString).anyMatch(p -> p.startsWith(
                "s2.sources.r1.deserializer = com.acme.flume.CountingSink: class com.acme.flume.CountingSink is a Flume"
                        + " sink, not an event deserializer builder"));
        var unknown = Agent.validate(AgentSpec.fromProperties("s3", OrderedProperties.parse(String.join("\n",
                "s3.sources = r1", "s3.channels = c1", "s3.sinks = k1",
                "s3.sources.r1.type = spooldir", "s3.sources.r1.spoolDir = " + dir,
                "s3.sources.r1.deserializer = com.acme.flume.NoSuchDeserializer$Builder", "s3.sources.r1.channels = c1",
                "s3.channels.c1.type = memory", "s3.sinks.k1.type = null", "s3.sinks.k1.channel = c1")), dir));
        assertThat(unknown.problems()).map(Object::toString).anyMatch(p -> p.startsWith(
                "s3.sources.r1.deserializer = com.acme.flume.NoSuchDeserializer$Builder: is not a deserializer Sluice"
                        + " knows"));
    }
}
