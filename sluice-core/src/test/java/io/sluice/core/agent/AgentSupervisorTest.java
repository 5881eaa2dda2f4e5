package io.sluice.core.agent;

import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.config.source.ConfigSource;
import io.sluice.core.config.source.FileConfigSource;
import io.sluice.core.runner.Backoff;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class AgentSupervisorTest {
    @TempDir
    Path dir;

    private static String config(String sinkName, int total) {
        return String.join("\n",
                "a1.sources = r1",
                "a1.channels = c1",
                "a1.sinks = " + sinkName,
                "a1.sources.r1.type = seq",
                "a1.sources.r1.totalEvents = " + total,
                "a1.sources.r1.batchSize = 10",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.sinks." + sinkName + ".type = null",
                "a1.sinks." + sinkName + ".channel = c1",
                "");
    }

    @Test
    void reloadPicksUpAChangedFileAndKeepsRunningOnAnInvalidOne() throws Exception {
        Path file = dir.resolve("flume.conf");
        Files.writeString(file, config("k1", 100));
        AgentSpec spec = new AgentSpec("a1", file, Map.of(), dir.resolve("data"))
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(50)));
        try (AgentSupervisor sup = new AgentSupervisor(spec, true, Duration.ofMillis(100))) {
            sup.start();
            Agent first = sup.current();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    first.counters().find("SINK", "k1").get(SinkCounter.DRAIN_SUCCESS) == 100);

            replace(file, config("k2", 50));
            await().atMost(Duration.ofSeconds(30)).until(() -> sup.reloads() == 1);
            Agent second = sup.current();
            assertThat(second).as("a reload changes the running agent, it does not replace it").isSameAs(first);
            assertThat(second.isRunning()).isTrue();
            assertThat(second.sinks()).containsOnlyKeys("k2");
            assertThat(second.counters().find("SINK", "k1")).as("a removed sink's counters go").isNull();
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    second.counters().find("SINK", "k2").get(SinkCounter.DRAIN_SUCCESS) == 50);

            replace(file, config("k3", 10).replace("type = memory", "type = memroy"));
            await().atMost(Duration.ofSeconds(30)).until(() -> sup.rejectedReloads() >= 1
                    && sup.lastReport().render().contains("memroy"));
            assertThat(sup.current()).isSameAs(second);
            assertThat(second.isRunning()).isTrue();
            assertThat(sup.lastReport().ok()).isFalse();
            assertThat(sup.lastReport().render()).contains("unknown channel type 'memroy'");
        }
    }

    @Test
    void withReloadTheFileIsPolledAndTheSourceWatched() throws Exception {
        WatchCountingSource source = watchCountingConfig();
        try (AgentSupervisor sup = new AgentSupervisor(spec(source), true, Duration.ofDays(1))) {
            sup.start();
            assertThat(sup.scheduledChecks()).as("the periodic check").isEqualTo(1);
            assertThat(source.watches.get()).isEqualTo(1);
        }
    }

    @Test
    void withoutReloadTheFileIsNotWatched() throws Exception {
        WatchCountingSource source = watchCountingConfig();
        try (AgentSupervisor sup = new AgentSupervisor(spec(source), false, Duration.ofMillis(50))) {
            sup.start();
            Agent first = sup.current();
            replace(source.path, config("k2", 10));
            // Nothing to wait for: no check is scheduled, and the source was not asked to tell of changes.
            assertThat(sup.scheduledChecks()).as("no periodic check").isZero();
            assertThat(source.watches.get()).isZero();
            assertThat(sup.reloads()).isZero();
            assertThat(sup.current()).isSameAs(first);
            sup.checkForChange();
            assertThat(sup.reloads()).as("an explicit check still reloads").isEqualTo(1);
            assertThat(sup.current().sinks()).containsOnlyKeys("k2");
        }
    }

    /** {@code flume.conf} with sink k1, read through a {@link WatchCountingSource}. */
    private WatchCountingSource watchCountingConfig() throws IOException {
        Path file = dir.resolve("flume.conf");
        Files.writeString(file, config("k1", 10));
        return new WatchCountingSource(file);
    }

    private AgentSpec spec(ConfigSource source) {
        return AgentSpec.fromSources("a1", List.of(source), Map.of(), dir.resolve("data"));
    }

    /** A file source that counts the listeners it was asked to tell of changes. */
    private static final class WatchCountingSource implements ConfigSource {
        final Path path;
        private final FileConfigSource file;
        final AtomicInteger watches = new AtomicInteger();

        WatchCountingSource(Path path) {
            this.path = path;
            this.file = new FileConfigSource(path);
        }

        @Override
        public String describe() {
            return file.describe();
        }

        @Override
        public Content read() throws IOException {
            return file.read();
        }

        @Override
        public void watch(Runnable listener) {
            watches.incrementAndGet();
        }
    }

    /**
     * Replaces the file as editors and configuration tools do, by renaming a complete new file over
     * it, so a poll never sees it half-written (which would be a change of its own, read and
     * refused, and then a second reload when the rest arrives).
     */
    private static void replace(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
