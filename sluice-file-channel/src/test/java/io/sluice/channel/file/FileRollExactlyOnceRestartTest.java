package io.sluice.channel.file;

import io.sluice.api.ChannelException;
import io.sluice.api.ComponentKind;
import io.sluice.api.Sink;
import io.sluice.api.Status;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.core.sink.fileroll.RollingFileSink;
import io.sluice.core.sink.fileroll.RollingFileSinkFactory;
import io.sluice.testing.TestClock;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * {@code file_roll} with {@code sink.exactlyOnce = true} over a real file channel restarted many
 * times: small segments that roll inside and between batches, two data directories, checkpoints
 * taken while a batch's take is in flight, crashes right after a committed take (the next event,
 * often in the same segment, is the head), segments deleted after the channel was drained, and new
 * events put after each restart. The sink's skip rule compares the positions of a batch handed out
 * after a restart with its last commit record; this checks that no new event ever compares as
 * already written (each restart skips exactly the one batch it wrote and did not commit) and that
 * the output holds every event once, in order. Each skip is counted in the sink counter.
 */
class FileRollExactlyOnceRestartTest {
    private static final int BATCH = 100;

    @TempDir
    Path dir;

    @Test
    void restartsAcrossSegmentRollsAndCheckpointsSkipOnlyTheBatchWrittenBeforeTheCrash() throws Exception {
        FileChannelConfig cfg = new FileChannelConfig(dir.resolve("checkpoint"),
                List.of(dir.resolve("data1"), dir.resolve("data2")), null, 100_000, 1000, 1, 8 * 1024, 0, 3_600_000,
                false, 64L * 1024 * 1024);
        TestClock clock = new TestClock(Instant.parse("2026-12-06T12:00:00Z"));
        int put = 0;
        long expectedSkips = 0;
        long skips = 0;
        for (int round = 0; round < 9; round++) {
            FileChannel ch = TestChannels.open(cfg);
            for (int t = 0; t < 3; t++) {
                TestChannels.putRange(ch, put, put + 110);
                put += 110;
            }
            SingleComponentConfig sc = sinkConfig(clock);
            RollingFileSink sink = (RollingFileSink) create(sc);
            if (round % 3 == 2) {
                // drained to empty and checkpointed: its segments go, the next round's events are new ones
                sink.setChannel(ch);
                sink.start();
                drain(sink, clock);
                ch.checkpoint();
            } else if (round % 3 == 1) {
                // one batch written and committed, the rest stays: the next event is the channel's head
                sink.setChannel(ch);
                sink.start();
                assertThat(sink.process()).isEqualTo(Status.READY);
            } else {
                // the take of the second batch fails after the batch was written and recorded; in every
                // other such round a checkpoint is taken while that take is in flight
                boolean checkpoint = round % 2 == 0;
                sink.setChannel(new FileRollCrashWorker.PausingChannel(ch, 2, () -> {
                    if (checkpoint) {
                        try {
                            ch.checkpoint();
                        } catch (IOException e) {
                            throw new UncheckedIOException(e);
                        }
                    }
                    throw new ChannelException("the take's commit fails on purpose");
                }));
                sink.start();
                assertThat(sink.process()).isEqualTo(Status.READY);
                clock.advance(Duration.ofMillis(600));
                assertThatThrownBy(sink::process).isInstanceOf(ChannelException.class);
                expectedSkips += BATCH;
            }
            skips += sink.skippedEvents();
            assertThat(sc.counters().find("SINK", "k1").get(RollingFileSink.EXACTLY_ONCE_SKIPPED))
                    .isEqualTo(sink.skippedEvents());
            // the crash: neither the sink nor the channel is stopped cleanly (no checkpoint on close)
            ch.stop();
            clock.advance(Duration.ofMillis(700));
        }
        FileChannel ch = TestChannels.open(cfg);
        SingleComponentConfig sc = sinkConfig(clock);
        RollingFileSink last = (RollingFileSink) create(sc);
        last.setChannel(ch);
        last.start();
        drain(last, clock);
        last.stop();
        ch.stop();
        skips += last.skippedEvents();

        assertThat(lines()).isEqualTo(IntStream.range(0, put).mapToObj(i -> TestChannels.event(i).bodyAsString())
                .toList());
        assertThat(skips).as("events not written again after the restarts").isEqualTo(expectedSkips);
    }

    private static void drain(RollingFileSink sink, TestClock clock) throws Exception {
        while (sink.process() == Status.READY) {
            clock.advance(Duration.ofMillis(400));
        }
    }

    private SingleComponentConfig sinkConfig(TestClock clock) {
        return SingleComponentConfig.builder(ComponentKind.SINK, "k1").keys(Map.of("type", "file_roll",
                "sink.directory", dir.resolve("out").toString(), "sink.batchSize", Integer.toString(BATCH),
                "sink.exactlyOnce", "true", "sink.rollInterval", "1")).clock(clock).build();
    }

    private static Sink create(SingleComponentConfig sc) {
        Sink s = new RollingFileSinkFactory().create(sc.context());
        assertThat(sc.problems()).isEmpty();
        return s;
    }

    /** The output lines, files in the order they were opened (series start millis, then number). */
    private List<String> lines() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            files = s.filter(p -> !p.getFileName().toString().startsWith(".")).sorted((a, b) -> {
                String[] x = a.getFileName().toString().split("-");
                String[] y = b.getFileName().toString().split("-");
                int c = Long.compare(Long.parseLong(x[0]), Long.parseLong(y[0]));
                return c != 0 ? c : Long.compare(Long.parseLong(x[1]), Long.parseLong(y[1]));
            }).toList();
        }
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            out.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
        return out;
    }
}
