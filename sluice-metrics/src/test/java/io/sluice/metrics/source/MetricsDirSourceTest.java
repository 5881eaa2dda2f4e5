package io.sluice.metrics.source;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.config.SingleComponentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class MetricsDirSourceTest {
    @TempDir
    Path dir;

    @Test
    void readsEachFileEveryIntervalAddingLabelsAndSkippingBadFiles() throws Exception {
        Path drop = Files.createDirectory(dir.resolve("artimon"));
        Files.writeString(drop.resolve("app1.prom"), "requests{app=\"a\"} 10 1700000000000\nhealthy true\n");
        Files.writeString(drop.resolve("broken.prom"), "requests{app=\"a\" 10\n");
        Files.writeString(drop.resolve(".partial.tmp"), "half");
        MemoryChannel ch = Wiring.channel(100);
        SingleComponentConfig ctx = SingleComponentConfig.builder(ComponentKind.SOURCE, "r1").agentDataDirectory(dir)
                .keys("directory", drop.toString(), "interval", "1", "labels.dc", "jb", "labels.app", "unknown")
                .build();
        MetricsDirSource src = (MetricsDirSource) new MetricsDirSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        src.setChannelProcessor(Wiring.processor(ch));
        src.start();
        try {
            await().atMost(Duration.ofSeconds(10)).until(() -> ch.size() >= 2);
            List<Event> events = new ArrayList<>();
            try (Transaction tx = ch.getTransaction()) {
                tx.begin();
                tx.takeBatch(10, events);
                tx.commit();
            }
            String body = events.get(0).bodyAsString();
            assertThat(events.get(0).header("file")).isEqualTo("app1.prom");
            assertThat(body).startsWith("requests{app=\"a\",dc=\"jb\"} 10 1700000000000\nhealthy{app=\"unknown\",dc=\"jb\"} true ");
            assertThat(src.counter().get(MetricsDirSource.FILE_FAILURES)).isGreaterThanOrEqualTo(2);
            assertThat(events).allSatisfy(e -> assertThat(e.header("file")).isEqualTo("app1.prom"));
        } finally {
            src.stop();
        }
    }
}
