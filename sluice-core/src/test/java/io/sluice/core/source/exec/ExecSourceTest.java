package io.sluice.core.source.exec;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.core.source.support.RejectedInput;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ExecSourceTest {
    /** "short", 300 zeros, two bytes that are not UTF-8 then " bad", "after". */
    private static final String LONG_AND_UNDECODABLE = "printf 'short\\n%0300d\\n\\377\\376 bad\\nafter\\n' 0";

    private ExecSource source;
    private TestContexts ctx;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private void start(MemoryPipe pipe, Map<String, String> keys) {
        startWithDeadLetters(pipe, null, keys);
    }

    /** Starts the source; with {@code dlq}, rejected lines go there. */
    private void startWithDeadLetters(MemoryPipe pipe, MemoryPipe dlq, Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(Map.of("type", "exec", "shell", "/bin/sh -c", "batchTimeout", "100"));
        all.putAll(keys);
        ctx = TestContexts.of(ComponentKind.SOURCE, "r1", all);
        source = (ExecSource) new ExecSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source.setChannelProcessor(pipe.processor());
        if (dlq != null) {
            source.setDeadLetters(new DeadLetters(dlq.channel(), "a1.sources.r1", Clock.systemUTC()));
        }
        source.start();
    }

    private long counter(String name) {
        return ctx.counters().find("SOURCE", "r1").get(name);
    }

    @Test
    void stdoutLinesBecomeEventsAndStderrIsLogged() {
        Logger stderrLog = (Logger) LoggerFactory.getLogger(StderrLogger.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        stderrLog.addAppender(logged);
        try {
            MemoryPipe pipe = new MemoryPipe(100, 100);
            start(pipe, Map.of("command", "echo one; echo 'something broke' >&2; echo two", "logStdErr", "true"));
            List<Event> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                got.addAll(pipe.drain());
                return got.size() >= 2;
            });
            assertThat(got).extracting(Event::bodyAsString).containsExactly("one", "two");
            await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(logged.list)
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .anyMatch(m -> m.equals("[a1.sources.r1] stderr: something broke")));
        } finally {
            stderrLog.detachAppender(logged);
        }
    }

    @Test
    void anEndedCommandIsRestartedWhenRestartIsOn() {
        MemoryPipe pipe = new MemoryPipe(100, 100);
        start(pipe, Map.of("command", "echo run", "restart", "true", "restartThrottle", "50"));
        List<Event> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            got.addAll(pipe.drain());
            return got.size() >= 3;
        });
        assertThat(got).extracting(Event::bodyAsString).allMatch("run"::equals);
    }

    @Test
    void aFullChannelPausesTheCommandAndNoLineIsLost() {
        MemoryPipe pipe = new MemoryPipe(5, 20);
        start(pipe, Map.of("command", "seq 1 200", "batchSize", "5"));
        await().atMost(Duration.ofSeconds(20)).until(() -> pipe.size() == 5);
        List<Event> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() -> {
            got.addAll(pipe.drain());
            return got.size() >= 200;
        });
        assertThat(got).extracting(Event::bodyAsString)
                .containsExactlyElementsOf(IntStream.rangeClosed(1, 200).mapToObj(Integer::toString)
                        .collect(Collectors.toList()));
        assertThat(ctx.counters().find("SOURCE", "r1").get(SourceCounter.CHANNEL_WRITE_FAIL)).isPositive();
    }

    @Test
    void stopKillsTheRunningCommand() {
        MemoryPipe pipe = new MemoryPipe(10, 10);
        start(pipe, Map.of("command", "sleep 300"));
        await().atMost(Duration.ofSeconds(20)).until(() -> source.currentProcess() != null);
        ProcessHandle child = source.currentProcess();
        assertThat(child.isAlive()).isTrue();
        source.stop();
        source = null;
        await().atMost(Duration.ofSeconds(20)).until(() -> !child.isAlive());
    }

    @Test
    void missingCommandAndUnknownCharsetAreProblems() {
        TestContexts bad = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "exec", "charset", "no-such-cs",
                "batchSize", "0"));
        assertThat(new ExecSourceFactory().create(bad.context())).isNull();
        assertThat(bad.problems()).extracting(ConfigProblem::key).containsExactlyInAnyOrder("a1.sources.r1.command",
                "a1.sources.r1.charset", "a1.sources.r1.batchSize");
    }

    @Test
    void longAndUndecodableLinesGoToTheDeadLetterChannelWithTheirReason() {
        MemoryPipe pipe = new MemoryPipe(100, 10);
        MemoryPipe dlq = new MemoryPipe(100, 10);
        startWithDeadLetters(pipe, dlq, Map.of("maxLineLength", "100", "command", LONG_AND_UNDECODABLE));

        assertThat(pipe.receive(2)).extracting(Event::bodyAsString).containsExactly("short", "after");
        List<Event> letters = dlq.receive(2);
        assertThat(letters).hasSize(2);
        Event tooLong = letters.get(0);
        assertThat(tooLong.body()).hasSize(100).containsOnly((byte) '0');
        assertThat(tooLong.header(DeadLetters.ERROR)).isEqualTo("line longer than maxLineLength 100 bytes; its first"
                + " 100 bytes are kept, the rest is dropped");
        assertThat(tooLong.header(DeadLetters.COMPONENT)).isEqualTo("a1.sources.r1");
        Event undecodable = letters.get(1);
        assertThat(undecodable.body()).containsExactly(0xff, 0xfe, ' ', 'b', 'a', 'd');
        assertThat(undecodable.header(DeadLetters.ERROR)).startsWith("line of 6 bytes is not valid UTF-8: malformed"
                + " input of 1 byte(s) at byte 0");
        assertThat(pipe.drain()).as("nothing of the rejected lines reached the source's channel").isEmpty();
        assertThat(counter(SourceCounter.EVENT_READ_FAIL)).isEqualTo(2);
        assertThat(counter(RejectedInput.DEAD_LETTER_COUNT)).isEqualTo(2);
        assertThat(counter(SourceCounter.EVENT_ACCEPTED)).isEqualTo(2);
    }

    @Test
    void withoutADeadLetterChannelLongLinesAreSplitAndUndecodableOnesReplaced() {
        MemoryPipe pipe = new MemoryPipe(100, 10);
        start(pipe, Map.of("maxLineLength", "100", "command", LONG_AND_UNDECODABLE));

        List<String> got = pipe.receive(6).stream().map(Event::bodyAsString).toList();
        assertThat(got).containsExactly("short", "0".repeat(100), "0".repeat(100), "0".repeat(100),
                "\uFFFD\uFFFD bad", "after");
        assertThat(counter(ExecSource.EVENT_SPLIT)).isEqualTo(1);
        assertThat(counter(SourceCounter.EVENT_READ_FAIL)).isZero();
    }

    @Test
    void linesEndAtNewlineCarriageReturnOrBothAndALastLineNeedsNoEnd() {
        MemoryPipe pipe = new MemoryPipe(100, 10);
        start(pipe, Map.of("maxLineLength", "100", "command", "printf 'a\\r\\nb\\rc\\n\\nd%0100de' 0"));

        List<String> got = pipe.receive(6).stream().map(Event::bodyAsString).toList();
        assertThat(got).containsExactly("a", "b", "c", "", "d" + "0".repeat(99), "0e");
    }
}
