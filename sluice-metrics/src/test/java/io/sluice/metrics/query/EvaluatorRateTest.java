package io.sluice.metrics.query;

import io.sluice.metrics.store.MetricsStore;
import io.sluice.metrics.store.RingSpec;
import io.sluice.metrics.store.SeriesKey;
import io.sluice.metrics.store.ValueType;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code rate} over the store's quantised buckets: a counter that stands still (node_exporter's
 * iowait or steal seconds of an idle CPU) reads back with noise within the store's precision, and
 * that noise must not be taken for a counter reset (which would report the whole counter as the
 * bucket's increase).
 */
class EvaluatorRateTest {
    @Test
    void aFlatCounterReadsAsZeroRateNotAsResets() {
        MetricsStore store = new MetricsStore(RingSpec.parseList("120x1s,30x10s"), 10_000);
        Random r = new Random(19);
        long t0 = 1_796_578_600_000L;
        for (int s = 0; s < 2000; s++) {
            // a counter at two decimals, as /proc/stat's ticks give it, that moves one tick early on and then stands
            double before = Math.round(r.nextDouble() * (s % 2 == 0 ? 10_000 : 500_000)) / 100.0;
            double flat = before + 0.01 * (1 + r.nextInt(3));
            SeriesKey key = SeriesKey.of("node_cpu_seconds_total", Map.of("cpu", Integer.toString(s)));
            for (int i = 0; i < 60; i++) {
                store.add(key, ValueType.DOUBLE, t0 + i * 1000L + r.nextInt(300), i < 3 + s % 5 ? before : flat);
            }
        }
        long now = t0 + 61_000;
        Matrix m = new Evaluator(store, now, null).evaluate(QueryParser.parse("rate(node_cpu_seconds_total)"),
                t0, t0 + 50_000, 10_000);
        assertThat(m.resolutionMillis()).isEqualTo(10_000);
        assertThat(m.rows()).hasSize(2000);
        for (Matrix.Row row : m.rows()) {
            for (int i = 1; i < row.values().length; i++) {
                assertThat(row.values()[i]).as("%s at %d", row.labels(), m.times()[i]).isBetween(0.0, 1e-3);
            }
        }
    }
}
