package io.sluice.metrics.source;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class PrometheusSourceTest {
    @TempDir
    Path dir;
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private MemoryChannel channel(int capacity) {
        return Wiring.channel(capacity);
    }

    private PrometheusSource source(MemoryChannel ch, String... keys) {
        SingleComponentConfig ctx = SingleComponentConfig.builder(ComponentKind.SOURCE, "r1").agentDataDirectory(dir)
                .keys(keys).build();
        PrometheusSource src = (PrometheusSource) new PrometheusSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        src.setChannelProcessor(Wiring.processor(ch));
        src.start();
        open.add(src::stop);
        return src;
    }

    private TestExporter exporter(String body) throws Exception {
        TestExporter e = new TestExporter();
        e.set(body);
        open.add(e);
        return e;
    }

    private static List<Event> drain(MemoryChannel ch) {
        List<Event> out = new ArrayList<>();
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.takeBatch(1000, out);
            tx.commit();
        }
        return out;
    }

    @Test
    void oneEventPerScrapeWithTargetLabelsUpAndExportedClashes() throws Exception {
        TestExporter e = exporter("# TYPE t gauge\nt{job=\"inner\",rack=\"r1\"} 41.5\nc_total 7\n");
        MemoryChannel ch = channel(100);
        source(ch, "targets", e.target(), "labels.dc", "jb", "interval", "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> ch.size() >= 1);
        Event ev = drain(ch).get(0);
        String body = ev.bodyAsString();
        assertThat(ev.header("instance")).isEqualTo(e.target());
        assertThat(ev.header("timestamp")).isNotNull();
        String ts = ev.header("timestamp");
        assertThat(body).contains("t{exported_job=\"inner\",rack=\"r1\",dc=\"jb\",instance=\"" + e.target()
                + "\",job=\"r1\"} 41.5 " + ts + "\n");
        assertThat(body).contains("c_total{dc=\"jb\",instance=\"" + e.target() + "\",job=\"r1\"} 7 " + ts + "\n");
        assertThat(body).contains("up{dc=\"jb\",instance=\"" + e.target() + "\",job=\"r1\"} 1 " + ts + "\n");
        assertThat(body).contains("scrape_samples_scraped{dc=\"jb\",instance=\"" + e.target() + "\",job=\"r1\"} 2 ");
    }

    @Test
    void honorLabelsKeepsTheScrapedValue() throws Exception {
        TestExporter e = exporter("t{job=\"inner\"} 1\n");
        MemoryChannel ch = channel(100);
        source(ch, "targets", e.target(), "honor_labels", "true", "interval", "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> ch.size() >= 1);
        String body = drain(ch).get(0).bodyAsString();
        assertThat(body).contains("t{job=\"inner\",instance=\"" + e.target() + "\"} 1 ");
    }

    @Test
    void openMetricsTimestampsAreSecondsAndKept() throws Exception {
        TestExporter e = exporter("# TYPE t gauge\nt 2.5 1700000000.250\n# EOF\n");
        e.openMetrics(true);
        MemoryChannel ch = channel(100);
        source(ch, "targets", e.target(), "interval", "1");
        await().atMost(Duration.ofSeconds(10)).until(() -> ch.size() >= 1);
        assertThat(drain(ch).get(0).bodyAsString()).contains("} 2.5 1700000000250\n");
    }

    @Test
    void aFailedScrapeIsCountedAndEmitsUpZero() {
        MemoryChannel ch = channel(100);
        int closed = FreePorts.tcp();
        PrometheusSource src = source(ch, "targets", "127.0.0.1:" + closed, "interval", "1", "timeout", "2");
        await().atMost(Duration.ofSeconds(10)).until(() -> ch.size() >= 1);
        assertThat(drain(ch).get(0).bodyAsString()).contains("up{instance=\"127.0.0.1:" + closed + "\",job=\"r1\"} 0 ");
        assertThat(src.counter().get(PrometheusSource.SCRAPE_FAILURES)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void anAnswerOverTheSizeLimitFailsTheScrape() throws Exception {
        TestExporter e = exporter("x 1\n".repeat(1000));
        MemoryChannel ch = channel(100);
        PrometheusSource src = source(ch, "targets", e.target(), "interval", "1", "body_size_limit", "1000");
        await().atMost(Duration.ofSeconds(10)).until(() -> ch.size() >= 1);
        String body = drain(ch).get(0).bodyAsString();
        assertThat(body).doesNotContain("x{").contains("up{instance=\"" + e.target() + "\",job=\"r1\"} 0 ");
        assertThat(src.counter().get(PrometheusSource.SCRAPE_FAILURES)).isGreaterThanOrEqualTo(1);
    }

    @Test
    void aFullChannelSkipsAndCountsScrapesInsteadOfQueueingThem() throws Exception {
        TestExporter a = exporter("a 1\nb 2\n");
        MemoryChannel ch = channel(1);
        PrometheusSource src = source(ch, "targets", a.target(), "interval", "1");
        await().atMost(Duration.ofSeconds(15)).until(() -> src.counter().get(PrometheusSource.SCRAPES_SKIPPED) >= 2);
        assertThat(ch.size()).isEqualTo(1);
        assertThat(src.counter().get(PrometheusSource.SAMPLES_SKIPPED))
                .isEqualTo(5 * src.counter().get(PrometheusSource.SCRAPES_SKIPPED));
        drain(ch);
        long scrapes = src.counter().get(PrometheusSource.SCRAPES);
        await().atMost(Duration.ofSeconds(10)).until(() -> src.counter().get(PrometheusSource.SCRAPES) > scrapes
                && ch.size() == 1);
    }

    @Test
    void fileSdIsReReadWhenItChanges() throws Exception {
        TestExporter a = exporter("a 1\n");
        TestExporter b = exporter("b 1\n");
        Path sd = dir.resolve("targets.json");
        Files.writeString(sd, "[{\"targets\": [\"" + a.target() + "\"], \"labels\": {\"rack\": \"r1\"}}]");
        MemoryChannel ch = channel(1000);
        PrometheusSource src = source(ch, "file_sd", sd.toString(), "interval", "1");
        assertThat(src.targets()).extracting(t -> t.labels().get("rack")).containsExactly("r1");
        Files.writeString(sd, "[{\"targets\": [\"" + a.target() + "\", \"" + b.target() + "\"]}]");
        Files.setLastModifiedTime(sd, FileTime.fromMillis(System.currentTimeMillis() + 5000));
        await().atMost(Duration.ofSeconds(10)).until(() -> src.targets().size() == 2);
        await().atMost(Duration.ofSeconds(10)).until(() -> b.requests() >= 1);
        Files.writeString(sd, "not json");
        Files.setLastModifiedTime(sd, FileTime.fromMillis(System.currentTimeMillis() + 10000));
        int before = a.requests();
        await().atMost(Duration.ofSeconds(10)).until(() -> a.requests() > before + 1);
        assertThat(src.targets()).hasSize(2);
    }

    @Test
    void missingTargetsAreAConfigurationProblem() {
        SingleComponentConfig ctx = SingleComponentConfig.builder(ComponentKind.SOURCE, "r1").agentDataDirectory(dir)
                .keys("labels.9x", "v").build();
        assertThat(new PrometheusSourceFactory().create(ctx.context())).isNull();
        assertThat(ctx.problems()).extracting(Object::toString)
                .anySatisfy(p -> assertThat(p).startsWith("a1.sources.r1.targets (missing): is required"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.sources.r1.labels.9x = v: is not a valid label name"));
    }
}
