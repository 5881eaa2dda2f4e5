package io.sluice.core.source.spooldir;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class SpoolDirectorySourceTest {
    @TempDir
    Path dir;

    private SpoolDirectorySource source;
    private TestContexts ctx;

    @AfterEach
    void stop() {
        if (source != null) {
            source.stop();
        }
    }

    private void start(MemoryPipe pipe, Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(Map.of("type", "spooldir", "spoolDir", dir.toString(),
                "pollDelay", "20"));
        all.putAll(keys);
        ctx = TestContexts.of(ComponentKind.SOURCE, "r1", all);
        source = (SpoolDirectorySource) new SpoolDirectorySourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        source.setChannelProcessor(pipe.processor());
        source.start();
    }

    private long count(String counter) {
        return ctx.counters().find("SOURCE", "r1").get(counter);
    }

    @Test
    void aFullChannelMakesTheSourceBackOffAndRetryWithoutLosingOrRepeatingLines() throws IOException {
        Files.writeString(dir.resolve("many.log"),
                IntStream.range(0, 1000).mapToObj(i -> i + "\n").collect(Collectors.joining()));
        MemoryPipe pipe = new MemoryPipe(150, 10);
        start(pipe, Map.of("batchSize", "100", "maxBackoff", "40"));
        await().atMost(Duration.ofSeconds(20)).until(() -> count(SourceCounter.CHANNEL_WRITE_FAIL) > 0);
        List<String> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            pipe.drain().forEach(e -> got.add(e.bodyAsString()));
            return Files.exists(dir.resolve("many.log.COMPLETED")) && pipe.size() == 0;
        });
        assertThat(got).isEqualTo(IntStream.range(0, 1000).mapToObj(Integer::toString).toList());
        assertThat(count(SourceCounter.EVENT_ACCEPTED)).isEqualTo(1000);
        assertThat(source.hasFailed()).isFalse();
    }

    @Test
    void filesDroppedInLaterArePickedUpByTheNextPoll() throws IOException {
        MemoryPipe pipe = new MemoryPipe(100, 10);
        start(pipe, Map.of());
        Path staged = dir.resolveSibling(dir.getFileName() + "-staging.log");
        Files.writeString(staged, "late\n");
        Files.move(staged, dir.resolve("late.log"));
        List<Event> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            got.addAll(pipe.drain());
            return !got.isEmpty();
        });
        assertThat(got).extracting(Event::bodyAsString).containsExactly("late");
    }

    @Test
    void aFileChangedAfterPickupStopsTheSourceAndIsCounted() throws IOException {
        Path f = dir.resolve("growing.log");
        Files.writeString(f, IntStream.range(0, 300).mapToObj(i -> i + "\n").collect(Collectors.joining()));
        MemoryPipe pipe = new MemoryPipe(100, 10);
        start(pipe, Map.of("batchSize", "100", "maxBackoff", "20"));
        await().atMost(Duration.ofSeconds(20)).until(() -> count(SourceCounter.CHANNEL_WRITE_FAIL) > 0);
        Files.writeString(f, "appended\n", StandardOpenOption.APPEND);
        List<Event> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            got.addAll(pipe.drain());
            return source.hasFailed();
        });
        assertThat(count(SourceCounter.GENERIC_PROCESSING_FAIL)).isEqualTo(1);
        assertThat(f).exists();
        assertThat(dir.resolve("growing.log.COMPLETED")).doesNotExist();
    }

    @Test
    void everyBadKeyIsReportedWithItsValue() {
        TestContexts bad = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("type", "spooldir",
                "deserializer", "CSV", "includePattern", "[", "inputCharset", "NOPE-8", "consumeOrder", "newest",
                "batchSize", "0"));
        assertThat(new SpoolDirectorySourceFactory().create(bad.context())).isNull();
        assertThat(bad.problems()).extracting(ConfigProblem::toString)
                .anyMatch(p -> p.contains("a1.sources.r1.spoolDir"))
                .anyMatch(p -> p.contains("a1.sources.r1.deserializer = CSV"))
                .anyMatch(p -> p.contains("a1.sources.r1.includePattern = ["))
                .anyMatch(p -> p.contains("a1.sources.r1.inputCharset = NOPE-8"))
                .anyMatch(p -> p.contains("a1.sources.r1.consumeOrder = newest"))
                .anyMatch(p -> p.contains("a1.sources.r1.batchSize = 0"));
    }
}
