package io.sluice.metrics.query;

import io.sluice.metrics.store.MetricsStore;
import io.sluice.metrics.store.RingSpec;
import io.sluice.metrics.store.SeriesKey;
import io.sluice.metrics.store.ValueType;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A reduction runs while a writer adds samples to the series it reads: each series is read whole
 * (under its own lock, never the writer's batch), so every group's count lies between what the
 * rounds finished before the query and the rounds begun before it ended, and the query never waits
 * for the writer to finish.
 */
class QueryWhileWritingTest {
    private static final long NOW = 500 * 60_000L + 1_000;
    private static final int SERIES = 2_000;
    private static final int GROUPS = 10;

    @Test
    void aReductionDuringWritesSeesEachSeriesWholeAndBetweenRounds() throws Exception {
        MetricsStore store = new MetricsStore(RingSpec.parseList("10x1m"), SERIES);
        SeriesKey[] keys = new SeriesKey[SERIES];
        for (int i = 0; i < SERIES; i++) {
            keys[i] = SeriesKey.of("m", new String[] {"i", Integer.toString(i), "group", "g" + (i % GROUPS)});
        }
        AtomicInteger finished = new AtomicInteger();
        AtomicInteger begun = new AtomicInteger();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        int rounds = 300;
        Thread writer = new Thread(() -> {
            try {
                for (int r = 0; r < rounds; r++) {
                    begun.incrementAndGet();
                    for (SeriesKey k : keys) {
                        store.add(k, ValueType.INTEGER, NOW, 1);
                    }
                    finished.incrementAndGet();
                }
            } catch (Throwable t) {
                failure.set(t);
            }
        }, "writer");
        // every series exists before the query, so each group holds SERIES / GROUPS of them
        for (SeriesKey k : keys) {
            store.add(k, ValueType.INTEGER, NOW, 1);
        }
        writer.start();
        Expr q = QueryParser.parse("sum by (group) (m)");
        int queries = 0;
        int during = 0;
        while (writer.isAlive() || queries < 3) {
            int before = finished.get();
            Matrix m = new Evaluator(store, NOW, "count").evaluate(q, NOW - 60_000, NOW, 0);
            int after = begun.get();
            assertThat(m.rows()).hasSize(GROUPS);
            for (Matrix.Row row : m.rows()) {
                double count = row.values()[row.values().length - 1];
                assertThat(count).as("group %s after %d..%d rounds", row.labels(), before, after)
                        .isBetween((double) (before + 1) * SERIES / GROUPS, (double) (after + 1) * SERIES / GROUPS);
            }
            queries++;
            during += after > before ? 1 : 0;
        }
        writer.join();
        assertThat(failure.get()).isNull();
        assertThat(during).as("queries that overlapped the writer").isGreaterThan(0);
        Matrix last = new Evaluator(store, NOW, "count").evaluate(q, NOW - 60_000, NOW, 0);
        for (Matrix.Row row : last.rows()) {
            assertThat(row.values()[row.values().length - 1]).isEqualTo((double) (rounds + 1) * SERIES / GROUPS);
        }
    }
}
