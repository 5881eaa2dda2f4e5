package io.sluice.core.agent;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.runner.Backoff;
import io.sluice.core.support.AbstractBatchSink;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code deadLetter.channel} as the agent reads, checks and wires it. */
class DeadLetterAgentTest {
    @TempDir
    Path dir;

    private static final List<String> BASE = List.of(
            "a1.sources = r1",
            "a1.channels = c1 dlq",
            "a1.sinks = k1",
            "a1.sources.r1.type = seq",
            "a1.sources.r1.totalEvents = 1",
            "a1.sources.r1.channels = c1",
            "a1.channels.c1.type = memory",
            "a1.channels.dlq.type = memory",
            "a1.sinks.k1.type = null",
            "a1.sinks.k1.channel = c1");

    private ValidationReport validate(String... extra) {
        List<String> lines = new ArrayList<>(BASE);
        lines.addAll(List.of(extra));
        return Agent.validate(AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n", lines)), dir));
    }

    private static ConfigProblem problemAt(ValidationReport r, String key) {
        return ValidationTest.problemAt(r, key);
    }

    @Test
    void aSinkMayNameAnotherChannelOfTheAgent() {
        ValidationReport r = validate("a1.sinks.k1.deadLetter.channel = dlq");
        assertThat(r.ok()).as(r.render()).isTrue();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.componentGraph()).contains("c1 -> k1 (null)  [dead letters: dlq]");
    }

    @Test
    void aMissingChannelIsReportedWithTheNearestName() {
        ConfigProblem p = problemAt(validate("a1.sinks.k1.deadLetter.channel = dlx"), "a1.sinks.k1.deadLetter.channel");
        assertThat(p.value()).isEqualTo("dlx");
        assertThat(p.rule()).contains("does not exist").contains("dlq");
    }

    @Test
    void theSinksOwnChannelIsRefused() {
        ConfigProblem p = problemAt(validate("a1.sinks.k1.deadLetter.channel = c1"), "a1.sinks.k1.deadLetter.channel");
        assertThat(p.rule()).contains("the channel this sink reads from");
        assertThat(p.fix()).contains("separate channel");
    }

    @Test
    void severalChannelsAreRefused() {
        ConfigProblem p = problemAt(validate("a1.sinks.k1.deadLetter.channel = dlq c1"),
                "a1.sinks.k1.deadLetter.channel");
        assertThat(p.rule()).contains("exactly one channel");
    }

    @Test
    void aSourceThatRejectsNothingCannotHaveOne() {
        ConfigProblem p = problemAt(validate("a1.sources.r1.deadLetter.channel = dlq"),
                "a1.sources.r1.deadLetter.channel");
        assertThat(p.rule()).contains("source type (seq) cannot set events aside");
    }

    @Test
    void anInterceptorThatDeadLettersNeedsItsSourceToHaveADeadLetterChannel() {
        List<String> netcat = List.of(
                "a1.sources = r1 r2",
                "a1.sources.r2.type = netcat",
                "a1.sources.r2.bind = 127.0.0.1",
                "a1.sources.r2.port = 1",
                "a1.sources.r2.channels = c1",
                "a1.sources.r2.interceptors = j",
                "a1.sources.r2.interceptors.j.type = json",
                "a1.sources.r2.interceptors.j.headers.user = /user",
                "a1.sources.r2.interceptors.j.onError = deadLetter");
        ConfigProblem p = problemAt(validate(netcat.toArray(new String[0])), "a1.sources.r2.interceptors.j.onError");
        assertThat(p.fix()).contains("a1.sources.r2.deadLetter.channel");
        List<String> withChannel = new ArrayList<>(netcat);
        withChannel.add("a1.sources.r2.deadLetter.channel = dlq");
        ValidationReport ok = validate(withChannel.toArray(new String[0]));
        assertThat(ok.ok()).as(ok.render()).isTrue();
        assertThat(ok.warnings()).isEmpty();
    }

    @Test
    void aSourceMayNotSetItsDeadLettersAsideInOneOfItsOwnChannels() {
        ConfigProblem p = problemAt(validate("a1.sources = r1 r2", "a1.sources.r2.type = netcat",
                "a1.sources.r2.bind = 127.0.0.1", "a1.sources.r2.port = 1", "a1.sources.r2.channels = c1",
                "a1.sources.r2.deadLetter.channel = c1"), "a1.sources.r2.deadLetter.channel");
        assertThat(p.rule()).contains("one of the channels this source puts its events into");
    }

    @Test
    void fileRollSetsAnEventItsSerializerCannotWriteAsideAndWritesTheRest() throws Exception {
        Path out = dir.resolve("out");
        Path script = dir.resolve("lines.sh");
        Files.writeString(script, "printf 'a\\npoison-1\\nb\\npoison-2\\nc\\n'\n");
        AgentSpec spec = AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1 dlq",
                "a1.sinks = k1",
                "a1.sources.r1.type = exec",
                "a1.sources.r1.command = /bin/sh " + script,
                "a1.sources.r1.batchSize = 5",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.dlq.type = memory",
                "a1.sinks.k1.type = file_roll",
                "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.sink.directory = " + out,
                "a1.sinks.k1.sink.rollInterval = 0",
                "a1.sinks.k1.sink.serializer = " + "io.sluice.core.sink.fileroll.FailingSerializerFactory",
                "a1.sinks.k1.deadLetter.channel = dlq")), dir)
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
        try (Agent agent = Agent.create(spec)) {
            agent.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> written(out).size() == 3
                    && agent.counters().find("SINK", "k1").get(AbstractBatchSink.DEAD_LETTER_COUNT) == 2);
            assertThat(written(out)).containsExactly("a", "b", "c");
            assertThat(agent.counters().find("SINK", "k1").get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(3);
            List<Event> letters = new ArrayList<>();
            try (Transaction tx = agent.channels().get("dlq").getTransaction()) {
                tx.begin();
                for (Event e = tx.take(); e != null; e = tx.take()) {
                    letters.add(e);
                }
                tx.commit();
            }
            assertThat(letters).extracting(Event::bodyAsString).containsExactly("poison-1", "poison-2");
            assertThat(letters.get(0).header(DeadLetters.COMPONENT)).isEqualTo("a1.sinks.k1");
            assertThat(letters.get(0).header(DeadLetters.ERROR))
                    .isEqualTo("the serializer cannot write this event: java.lang.IllegalArgumentException:"
                            + " no representation for 'poison-1'");
            assertThat(letters.get(0).header(DeadLetters.FAILED_AT)).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        }
    }

    private static List<String> written(Path out) throws IOException {
        if (!Files.isDirectory(out)) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        try (Stream<Path> files = Files.list(out)) {
            for (Path f : files.sorted().toList()) {
                lines.addAll(Files.readAllLines(f));
            }
        }
        return lines;
    }
}
