package io.sluice.bench.sql;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both engines of the rtsql scenarios do the same real work on a small workload: each emits exactly
 * the rows computed here directly from the workload, so they agree with each other row for row.
 */
class SqlSidesTest {
    @Test
    void tumblingEmitsTheSameRowPerKeyAndSecondOnBothSides() throws Exception {
        Workload w = Workload.tumbling(250_000, 100, 1);
        List<String> sluice = new ArrayList<>();
        List<String> esper = new ArrayList<>();
        long[] s = SluiceSide.run(SluiceSide.TUMBLING, w, SluiceSide.rows(w), false, row -> sluice.add(text(row)));
        long[] e = EsperSide.run(EsperSide.TUMBLING, w, false, row -> esper.add(text(row)));
        List<String> expected = tumblingRows(w);
        // 2.5 seconds of event time: three windows, every key in each
        assertThat(expected).hasSize(3 * Workload.KEYS);
        assertThat(s[0]).isEqualTo(250_000);
        assertThat(s[1]).isEqualTo(expected.size());
        assertThat(e[1]).isEqualTo(expected.size());
        assertThat(sorted(sluice)).as("Sluice's rows").isEqualTo(expected);
        assertThat(sorted(esper)).as("Esper's rows").isEqualTo(expected);
    }

    @Test
    void joinFindsTheSamePairsOnBothSides() throws Exception {
        Workload w = Workload.join(100_000, 20, 2);
        List<String> sluice = new ArrayList<>();
        List<String> esper = new ArrayList<>();
        long[] s = SluiceSide.run(SluiceSide.JOIN, w, SluiceSide.rows(w), true, row -> sluice.add(text(row)));
        long[] e = EsperSide.run(EsperSide.JOIN, w, true, row -> esper.add(text(row)));
        List<String> expected = joinPairs(w);
        assertThat(expected.size()).isGreaterThan(10_000);
        assertThat(s[1]).isEqualTo(expected.size());
        assertThat(e[1]).isEqualTo(expected.size());
        assertThat(sorted(sluice)).as("Sluice's pairs").isEqualTo(expected);
        assertThat(sorted(esper)).as("Esper's pairs").isEqualTo(expected);
    }

    /** key, count, sum, avg, min, max for every (second, key) that has events. */
    private static List<String> tumblingRows(Workload w) {
        Map<String, long[]> groups = new TreeMap<>();
        for (BenchEvent ev : w.events) {
            long[] g = groups.computeIfAbsent(ev.getTs() / 1000 + "/" + ev.getKey(),
                    k -> new long[] {0, 0, Long.MAX_VALUE, Long.MIN_VALUE});
            g[0]++;
            g[1] += ev.getValue();
            g[2] = Math.min(g[2], ev.getValue());
            g[3] = Math.max(g[3], ev.getValue());
        }
        List<String> rows = new ArrayList<>();
        groups.forEach((k, g) -> rows.add(text(List.of(k.substring(k.indexOf('/') + 1), g[0], g[1],
                (double) g[1] / g[0], g[2], g[3]))));
        return sorted(rows);
    }

    /** key, left value, right value for every left and right event of one key at most 100 ms apart. */
    private static List<String> joinPairs(Workload w) {
        List<String> pairs = new ArrayList<>();
        BenchEvent[] ev = w.events; // in event-time order
        int from = 0;
        for (int i = 0; i < ev.length; i++) {
            if (!(ev[i] instanceof BenchEvent.Left)) {
                continue;
            }
            while (ev[from].getTs() < ev[i].getTs() - 100) {
                from++;
            }
            for (int j = from; j < ev.length && ev[j].getTs() <= ev[i].getTs() + 100; j++) {
                if (ev[j] instanceof BenchEvent.Right && ev[j].getKey().equals(ev[i].getKey())) {
                    pairs.add(text(List.of(ev[i].getKey(), ev[i].getValue(), ev[j].getValue())));
                }
            }
        }
        return sorted(pairs);
    }

    /** One row as text, whole numbers and fractions each in one form whatever class the engine used. */
    private static String text(List<Object> row) {
        List<String> out = new ArrayList<>(row.size());
        for (Object v : row) {
            if (v instanceof Double || v instanceof Float) {
                out.add(String.format(Locale.ROOT, "%.6f", ((Number) v).doubleValue()));
            } else if (v instanceof Number n) {
                out.add(Long.toString(n.longValue()));
            } else {
                out.add(String.valueOf(v));
            }
        }
        return String.join(",", out);
    }

    private static List<String> sorted(List<String> rows) {
        List<String> copy = new ArrayList<>(rows);
        copy.sort(null);
        return copy;
    }
}
