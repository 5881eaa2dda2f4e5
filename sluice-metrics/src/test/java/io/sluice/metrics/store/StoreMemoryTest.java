package io.sluice.metrics.store;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Measures the heap a series takes with every default ring full, on the real heap: used heap
 * after GC before and after allocating N series (keys, labels, map entries included).
 */
class StoreMemoryTest {
    static final int SERIES = 10_000;

    /** Fills every slot of every default ring: one sample per bucket, oldest first. */
    static void fill(MetricsStore store, SeriesKey key, long now) {
        List<RingSpec> specs = store.specs();
        long start = now - specs.get(specs.size() - 1).spanMillis() + 1;
        long t = start;
        while (t <= now) {
            store.add(key, ValueType.DOUBLE, t, (t % 1000) + 0.5);
            long step = specs.get(0).resolutionMillis();
            for (RingSpec r : specs) {
                if (t < now - r.spanMillis() + r.resolutionMillis()) {
                    step = r.resolutionMillis();
                    break;
                }
            }
            t += step;
        }
    }

    static long usedAfterGc() {
        MemoryMXBean mx = ManagementFactory.getMemoryMXBean();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 4; i++) {
            System.gc();
            best = Math.min(best, mx.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    /** Heap bytes per series of {@code n} full series, as measured. */
    static double bytesPerSeries(int n) {
        long now = 200 * 86_400_000L;
        long before = usedAfterGc();
        MetricsStore store = new MetricsStore(RingSpec.parseList(RingSpec.DEFAULT), n);
        for (int i = 0; i < n; i++) {
            SeriesKey k = SeriesKey.of("node_filesystem_avail_bytes", Map.of("instance", "host-" + i + ":9100", "job",
                    "node", "mountpoint", "/var", "dc", "dc" + (i % 4)));
            fill(store, k, now);
        }
        long after = usedAfterGc();
        assertThat(store.seriesCount()).isEqualTo(n);
        SeriesKey probe = SeriesKey.of("node_filesystem_avail_bytes", Map.of("instance", "host-0:9100", "job",
                "node", "mountpoint", "/var", "dc", "dc0"));
        for (int ring = 0; ring < 4; ring++) {
            int buckets = store.specs().get(ring).buckets();
            assertThat(store.read(probe, ring, 0, now, now)).as("ring %d full", ring).hasSize(buckets);
        }
        return (after - before) / (double) n;
    }

    @Test
    void aSeriesWithEveryDefaultRingFullTakesAtMostFourKib() {
        double perSeries = bytesPerSeries(SERIES);
        System.out.printf("metrics store: %.0f bytes of heap per series (%d series, every default ring full)%n",
                perSeries, SERIES);
        assertThat(perSeries).isLessThanOrEqualTo(4096);
    }
}
