package io.sluice.channel.file;

import io.sluice.api.ChannelException;
import io.sluice.api.ComponentKind;
import io.sluice.api.Sink;
import io.sluice.api.Status;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.core.sink.fileroll.RollingFileSink;
import io.sluice.core.sink.fileroll.RollingFileSinkFactory;
import io.sluice.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code file_roll} with {@code sink.exactlyOnce = true} across a roll: a batch written to the new
 * file whose take then fails to commit is taken again and not written again; a new sink started
 * on the same directory goes on without a gap.
 */
class FileRollExactlyOnceRollTest {
    @TempDir
    Path dir;

    @Test
    void aBatchWrittenAfterARollIsNotWrittenAgainWhenItsTakeFailed() throws Exception {
        FileChannel ch = TestChannels.open(TestChannels.config(dir));
        TestChannels.putRange(ch, 0, 400);
        TestClock clock = new TestClock(Instant.parse("2026-12-06T12:00:00Z"));
        RollingFileSink sink = sink(clock);
        sink.setChannel(new FileRollCrashWorker.PausingChannel(ch, 2, () -> {
            throw new ChannelException("commit failed on purpose");
        }));
        sink.start();
        assertThat(sink.process()).isEqualTo(Status.READY);
        clock.advance(Duration.ofSeconds(2));
        assertThatThrownBy(sink::process).isInstanceOf(ChannelException.class);
        assertThat(outputFiles()).hasSize(2);
        assertThat(sink.process()).isEqualTo(Status.READY);
        assertThat(sink.skippedEvents()).isEqualTo(100);
        sink.stop();

        RollingFileSink next = sink(clock);
        next.setChannel(ch);
        next.start();
        while (next.process() == Status.READY) {
            clock.advance(Duration.ofMillis(400));
        }
        next.stop();
        ch.stop();
        List<String> lines = new ArrayList<>();
        for (Path f : outputFiles()) {
            lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
        assertThat(lines).isEqualTo(IntStream.range(0, 400).mapToObj(i -> TestChannels.event(i).bodyAsString())
                .toList());
    }

    private RollingFileSink sink(TestClock clock) {
        SingleComponentConfig cfg = SingleComponentConfig.builder(ComponentKind.SINK, "k1").keys(Map.of("type",
                "file_roll", "sink.directory", dir.resolve("out").toString(), "sink.batchSize", "100",
                "sink.exactlyOnce", "true", "sink.rollInterval", "1")).clock(clock).build();
        Sink s = new RollingFileSinkFactory().create(cfg.context());
        assertThat(cfg.problems()).isEmpty();
        return (RollingFileSink) s;
    }

    private List<Path> outputFiles() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted((a, b) -> {
                String[] x = a.getFileName().toString().split("-");
                String[] y = b.getFileName().toString().split("-");
                int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
                return c != 0 ? c : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
            }).toList();
        }
    }
}
