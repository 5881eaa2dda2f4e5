package io.sluice.metrics.sink;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.metrics.store.Bucket;
import io.sluice.metrics.store.SeriesKey;
import io.sluice.metrics.store.ValueType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsSinkTest {
    @TempDir
    Path dir;

    private MetricsSink sink(String... keys) {
        SingleComponentConfig ctx = SingleComponentConfig.builder(ComponentKind.SINK, "k1")
                .agentDataDirectory(dir).keys(keys).build();
        MetricsSink sink = (MetricsSink) new MetricsSinkFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        return sink;
    }

    private static MemoryChannel channel(List<Event> events) {
        MemoryChannel ch = new MemoryChannel("c1", "a1.channels.c1", 1000, 1000, Long.MAX_VALUE, 0,
                new ChannelCounter("c1"));
        ch.start();
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            for (Event e : events) {
                tx.put(e);
            }
            tx.commit();
        }
        return ch;
    }

    private static Event scrape(String body, long time) {
        return Event.of(Map.of("timestamp", Long.toString(time)), body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void storesEverySampleOfAScrapeAndCountsTheLinesItCannotRead() throws Exception {
        MetricsSink sink = sink("snapshot.file", "none");
        long t = 1_700_000_040_000L;
        sink.setChannel(channel(List.of(scrape("""
                # TYPE memcached_items gauge
                memcached_items{dc="jb",host="m1"} 120
                memcached_items{dc="jb",host="m2"} 80 1700000041000
                memcached_hit_ratio{dc="jb",host="m1"} 0.93
                memcached_up{dc="jb",host="m1"} true
                memcached_version{dc="jb",host="m1"} "1.6.21"
                this is not a sample
                memcached_items{dc="jb",host="m3"} NaN
                """, t))));
        sink.start();
        assertThat(sink.process()).isEqualTo(Status.READY);
        sink.stop();
        var store = sink.store();
        assertThat(store.seriesCount()).isEqualTo(5);
        SeriesKey m2 = SeriesKey.of("memcached_items", Map.of("dc", "jb", "host", "m2"));
        List<Bucket> b = store.read(m2, 0, t - 60_000, t + 60_000, t + 120_000);
        assertThat(b).hasSize(1);
        assertThat(b.get(0).last()).isEqualTo(80);
        assertThat(store.type(m2)).isEqualTo(ValueType.INTEGER);
        assertThat(store.type(SeriesKey.of("memcached_up", Map.of("dc", "jb", "host", "m1"))))
                .isEqualTo(ValueType.BOOLEAN);
        assertThat(store.lastString(SeriesKey.of("memcached_version", Map.of("dc", "jb", "host", "m1"))))
                .isEqualTo("1.6.21");
        assertThat(sink.counter().get(MetricsSink.SAMPLES_ACCEPTED)).isEqualTo(5);
        assertThat(sink.counter().get(MetricsSink.SAMPLES_REJECTED)).isEqualTo(2);
    }

    @Test
    void snapshotsAtStopAndRestoresAtStart() throws Exception {
        Path file = dir.resolve("m.snapshot");
        MetricsSink first = sink("snapshot.file", file.toString());
        long t = 1_700_000_040_000L;
        first.setChannel(channel(List.of(scrape("temp{rack=\"r1\"} 21.5\ntemp{rack=\"r2\"} 23\n", t))));
        first.start();
        first.process();
        first.stop();
        assertThat(file).exists();
        MetricsSink second = sink("snapshot.file", file.toString());
        second.setChannel(channel(List.of()));
        second.start();
        assertThat(second.store().seriesCount()).isEqualTo(2);
        List<Bucket> b = second.store().read(SeriesKey.of("temp", Map.of("rack", "r1")), 0, t - 60_000, t, t);
        assertThat(b.get(0).last()).isEqualTo(21.5);
        second.stop();
    }

    @Test
    void aDamagedSnapshotIsKeptAsideNotDropped() throws Exception {
        Path file = dir.resolve("m.snapshot");
        Files.write(file, "not a snapshot at all".getBytes(StandardCharsets.UTF_8));
        MetricsSink sink = sink("snapshot.file", file.toString(), "snapshot.interval", "0");
        sink.setChannel(channel(List.of()));
        sink.start();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anySatisfy(n -> assertThat(n).startsWith("m.snapshot.damaged-"));
        }
        sink.stop();
        try (Stream<Path> files = Files.list(dir)) {
            Path aside = files.filter(p -> p.getFileName().toString().startsWith("m.snapshot.damaged-")).findFirst()
                    .orElseThrow();
            assertThat(Files.readString(aside)).isEqualTo("not a snapshot at all");
        }
    }

    @Test
    void badRingsAreRefusedWithTheFix() {
        SingleComponentConfig ctx = SingleComponentConfig.builder(ComponentKind.SINK, "k1")
                .agentDataDirectory(dir).keys("rings", "60x1m,10x90s").build();
        assertThat(new MetricsSinkFactory().create(ctx.context())).isNull();
        assertThat(ctx.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .startsWith("a1.sinks.k1.rings = 60x1m,10x90s: '10x90s'"));
    }

    @Test
    void queryPoolKeysAreCheckedEvenWithoutAQueryPort() {
        SingleComponentConfig ctx = SingleComponentConfig.builder(ComponentKind.SINK, "k1")
                .agentDataDirectory(dir).keys("query.threads", "0", "query.timeout", "soon").build();
        new MetricsSinkFactory().create(ctx.context());
        assertThat(ctx.problems()).extracting(Object::toString)
                .anySatisfy(p -> assertThat(p).startsWith("a1.sinks.k1.query.threads = 0:"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.sinks.k1.query.timeout = soon:"));
    }
}
