package io.sluice.metrics.source;

import io.sluice.api.ComponentKind;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.metrics.sink.MetricsSink;
import io.sluice.metrics.sink.MetricsSinkFactory;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Artimon's "Flume wall": a sink slower than the scrapes must cost scrapes, counted, never the
 * agent's heap. Real scrapes over real sockets from 20 targets every second; the real metrics sink
 * is driven at a tenth of the scrape rate. Runs 40 s by default; -Dsluice.metrics.wallSeconds=300
 * runs the five-minute version.
 */
class NoFlumeWallTest {
    @TempDir
    Path dir;

    private static long usedAfterGc() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            best = Math.min(best, mx.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    @Test
    void aSinkAtATenthOfTheInputRateCostsCountedScrapesNotHeap() throws Exception {
        long seconds = Long.getLong("sluice.metrics.wallSeconds", 40);
        int targets = 20;
        StringBuilder body = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            body.append("app_requests_total{handler=\"/h").append(i).append("\"} ").append(i * 7).append('\n');
        }
        List<TestExporter> exporters = new ArrayList<>();
        StringBuilder list = new StringBuilder();
        for (int i = 0; i < targets; i++) {
            TestExporter e = new TestExporter();
            e.set(body.toString());
            exporters.add(e);
            list.append(e.target()).append(' ');
        }
        MemoryChannel ch = Wiring.channel(50);
        SingleComponentConfig sc = SingleComponentConfig.builder(ComponentKind.SOURCE, "r1").agentDataDirectory(dir)
                .keys("targets", list.toString().trim(), "interval", "1").build();
        PrometheusSource src = (PrometheusSource) new PrometheusSourceFactory().create(sc.context());
        src.setChannelProcessor(Wiring.processor(ch));
        SingleComponentConfig kc = SingleComponentConfig.builder(ComponentKind.SINK, "k1").agentDataDirectory(dir)
                .keys("batchSize", "1", "snapshot.file", "none").build();
        MetricsSink sink = (MetricsSink) new MetricsSinkFactory().create(kc.context());
        sink.setChannel(ch);
        sink.start();
        src.start();
        long heapAfterWarmup = 0;
        long started = System.nanoTime();
        long taken = 0;
        try {
            // the sink takes 2 scrapes a second while 20 arrive: a tenth of the input rate
            long next = System.nanoTime();
            while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(seconds)) {
                sink.process();
                taken++;
                next += TimeUnit.MILLISECONDS.toNanos(500);
                LockSupport.parkNanos(Math.max(0, next - System.nanoTime()));
                // the baseline once every target's series exist: the store's own size is fixed from then on
                if (heapAfterWarmup == 0 && sink.store().seriesCount() == targets * 203
                        && System.nanoTime() - started > TimeUnit.SECONDS.toNanos(10)) {
                    heapAfterWarmup = usedAfterGc();
                }
            }
            long heapAtEnd = usedAfterGc();
            System.out.printf("no-wall: %d s, scrapes %d, skipped %d, stored %d, heap once every series exists %d MiB, at end %d"
                    + " MiB%n", seconds, src.counter().get(PrometheusSource.SCRAPES),
                    src.counter().get(PrometheusSource.SCRAPES_SKIPPED), taken, heapAfterWarmup >> 20,
                    heapAtEnd >> 20);
            // the channel never holds more than its capacity; the heap does not grow with the backlog
            assertThat(ch.size()).isLessThanOrEqualTo(50);
            assertThat(heapAfterWarmup).as("every target's series stored within the run").isPositive();
            assertThat(heapAtEnd - heapAfterWarmup).isLessThan(32L << 20);
        } finally {
            src.stop();
            sink.stop();
            exporters.forEach(TestExporter::close);
        }
        long scrapes = src.counter().get(PrometheusSource.SCRAPES);
        long skipped = src.counter().get(PrometheusSource.SCRAPES_SKIPPED);
        long accepted = src.counter().get("EventAcceptedCount");
        assertThat(scrapes).isGreaterThan(seconds * targets / 2);
        assertThat(skipped).as("most scrapes skipped").isGreaterThan(scrapes / 2);
        assertThat(accepted + skipped).as("every scrape is either in the channel or counted as skipped")
                .isEqualTo(scrapes);
        assertThat(src.counter().get(PrometheusSource.SAMPLES_SKIPPED)).isEqualTo(skipped * 203);
    }
}
