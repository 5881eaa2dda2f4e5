package io.sluice.core.source.exec;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
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
    private ExecSource source;
    private TestContexts ctx;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private void start(MemoryPipe pipe, Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(Map.of("type", "exec", "shell", "/bin/sh -c", "batchTimeout", "100"));
        all.putAll(keys);
        ctx = TestContexts.of(ComponentKind.SOURCE, "r1", all);
        source = (ExecSource) new ExecSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source.setChannelProcessor(pipe.processor());
        source.start();
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
}
