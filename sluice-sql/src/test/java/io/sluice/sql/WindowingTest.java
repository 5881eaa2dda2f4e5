package io.sluice.sql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Windowed aggregates over rows pushed from Java, checked row by row. */
class WindowingTest {
    private RtsqlEngine engine;
    private StreamInput in;

    @BeforeEach
    void setUp() throws Exception {
        engine = new RtsqlEngine(EngineOptions.builder().setting("rtsql.slack.time", "100").build());
        in = engine.createInputStream("ev", List.of(new Column("k", SqlType.STRING), new Column("v", SqlType.INT)));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private record Result(Flow flow, List<String> lines) {
    }

    private Result run(String sql, Object[][] rows) throws Exception {
        EngineTestSupport.Collector c = new EngineTestSupport.Collector();
        Flow f = engine.execute(sql, c).flow().orElseThrow();
        for (Object[] r : rows) {
            in.push(new Object[] {r[0], r[1]}, ((Number) r[2]).longValue());
        }
        in.end();
        assertThat(f.awaitEnd(Duration.ofSeconds(10))).isTrue();
        List<String> lines = new ArrayList<>();
        for (Row row : c.rows) {
            lines.add(OutputFormat.CSV.format(f.columns(), row) + "@" + row.eventTime());
        }
        return new Result(f, lines);
    }

    @Test
    void tumblingEmitsEachWindowAndGroupOnceInKeyOrder() throws Exception {
        Result r = run("SELECT k, COUNT(*) AS n, SUM(v) AS s, MIN(v), MAX(v), AVG(v), WINDOW_START() AS ws, WINDOW_END() AS we "
                + "FROM ev GROUP BY k OVER TUMBLING INTERVAL 1 SECONDS", new Object[][] {
                    {"b", 1, 0}, {"a", 2, 10}, {"b", 3, 999}, {"a", 4, 1000}, {"a", null, 1500}, {"c", 6, 3200}});
        assertThat(r.lines).containsExactly(
                "a,1,2,2,2,2.0,0,1000@999",
                "b,2,4,1,3,2.0,0,1000@999",
                "a,2,4,4,4,4.0,1000,2000@1999",
                "c,1,6,6,6,6.0,3000,4000@3999");
    }

    @Test
    void windowsCloseWhenTheWatermarkPassesTheirEnd() throws Exception {
        EngineTestSupport.Collector c = new EngineTestSupport.Collector();
        Flow f = engine.execute("SELECT COUNT(*) FROM ev OVER TUMBLING INTERVAL 1 SECONDS", c).flow().orElseThrow();
        in.push(new Object[] {"a", 1}, 500);
        in.push(new Object[] {"a", 1}, 1099);
        assertThat(c.rows).isEmpty(); // watermark 999 < end 1000
        in.push(new Object[] {"a", 1}, 1100);
        assertThat(c.rows).hasSize(1);
        assertThat(c.rows.get(0).value(0)).isEqualTo(1L);
        in.push(new Object[] {"a", 1}, 950); // its window has closed: late
        assertThat(f.counters().late()).isEqualTo(1);
        in.end();
        assertThat(f.awaitEnd(Duration.ofSeconds(5))).isTrue();
        assertThat(c.rows).hasSize(2);
        assertThat(c.rows.get(1).value(0)).isEqualTo(2L);
        assertThat(f.counters().eventsIn()).isEqualTo(4);
        assertThat(f.counters().rowsOut()).isEqualTo(2);
    }

    @Test
    void hoppingMatchesABruteForceComputation() throws Exception {
        Random rnd = new Random(42);
        List<Object[]> rows = new ArrayList<>();
        long t = 0;
        for (int i = 0; i < 400; i++) {
            t += rnd.nextInt(40);
            rows.add(new Object[] {"k" + rnd.nextInt(3), rnd.nextInt(100), t});
        }
        Result r = run("SELECT k, COUNT(*), SUM(v), WINDOW_START() FROM ev GROUP BY k "
                + "OVER HOPPING INTERVAL 1000 MILLISECONDS ADVANCE INTERVAL 300 MILLISECONDS", rows.toArray(new Object[0][]));
        // brute force: every window [k*300, k*300+1000) with data, groups sorted
        Map<Long, Map<String, long[]>> expected = new TreeMap<>();
        for (Object[] row : rows) {
            long time = (Long) row[2];
            for (long k = Math.floorDiv(time - 1000, 300) + 1; k * 300 <= time; k++) {
                long[] acc = expected.computeIfAbsent(k * 300, x -> new TreeMap<>())
                        .computeIfAbsent((String) row[0], x -> new long[2]);
                acc[0]++;
                acc[1] += (Integer) row[1];
            }
        }
        List<String> want = new ArrayList<>();
        expected.forEach((start, groups) -> groups.forEach((k, acc) ->
                want.add(k + "," + acc[0] + "," + acc[1] + "," + start + "@" + (start + 999))));
        assertThat(r.lines).containsExactlyElementsOf(want);
    }

    @Test
    void slidingRangeIsHoppingByBuckets() throws Exception {
        engine.execute("SET 'rtsql.window.buckets' = '2'");
        Result r = run("SELECT COUNT(*), WINDOW_START(), WINDOW_END() FROM ev OVER RANGE INTERVAL 1 SECONDS PRECEDING",
                new Object[][] {{"a", 1, 100}, {"a", 1, 700}});
        assertThat(r.lines).containsExactly("1,-500,500@499", "2,0,1000@999", "1,500,1500@1499");
    }

    @Test
    void sessionsSplitOnGapsAndMergeWhenBridged() throws Exception {
        Result r = run("SELECT k, COUNT(*), WINDOW_START(), WINDOW_END() FROM ev GROUP BY k OVER SESSION INTERVAL 100 MILLISECONDS",
                new Object[][] {{"a", 1, 0}, {"a", 1, 150}, {"b", 1, 160}, {"a", 1, 80}, {"a", 1, 400}});
        // a@80 arrives late but within the slack and bridges [0] and [150]
        assertThat(r.lines).containsExactly("a,3,0,250@249", "b,1,160,260@259", "a,1,400,500@499");
    }

    @Test
    void groupByMayNameASelectAliasOrAnExpression() throws Exception {
        Result r = run("SELECT UPPER(k) AS uk, COUNT(*) AS n, v % 2 AS odd FROM ev GROUP BY uk, v % 2 "
                + "OVER TUMBLING INTERVAL 1 SECONDS HAVING n > 1", new Object[][] {
                    {"a", 1, 5}, {"A", 3, 6}, {"b", 1, 7}, {"a", 2, 8}});
        assertThat(r.lines).containsExactly("A,2,1@999");
    }

    @Test
    void pushingInBatchesGivesTheSameRows() throws Exception {
        String sql = "SELECT k, COUNT(*), SUM(v) FROM ev GROUP BY k OVER HOPPING INTERVAL 300 MILLISECONDS "
                + "ADVANCE INTERVAL 100 MILLISECONDS";
        Object[][] rows = new Object[500][];
        long[] times = new long[500];
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new Object[] {"k" + (i % 3), i};
            times[i] = i * 7L;
        }
        Object[][] withTimes = new Object[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            withTimes[i] = new Object[] {rows[i][0], rows[i][1], times[i]};
        }
        List<String> oneByOne = run(sql, withTimes).lines;
        engine.execute("DROP STREAM ev");
        in = engine.createInputStream("ev", List.of(new Column("k", SqlType.STRING), new Column("v", SqlType.INT)));
        EngineTestSupport.Collector c = new EngineTestSupport.Collector();
        Flow f = engine.execute(sql, c).flow().orElseThrow();
        for (int from = 0; from < rows.length; from += 37) {
            int n = Math.min(37, rows.length - from);
            in.pushBatch(Arrays.copyOfRange(rows, from, from + n), Arrays.copyOfRange(times, from, from + n), n);
        }
        in.end();
        assertThat(f.awaitEnd(Duration.ofSeconds(10))).isTrue();
        List<String> batched = new ArrayList<>();
        for (Row row : c.rows) {
            batched.add(OutputFormat.CSV.format(f.columns(), row) + "@" + row.eventTime());
        }
        assertThat(batched).isNotEmpty().containsExactlyElementsOf(oneByOne);
    }

    @Test
    void aggregatesNestInSubqueries() throws Exception {
        Result r = run("SELECT COUNT(*) AS windows, MAX(n) AS busiest FROM "
                + "(SELECT k, COUNT(*) AS n FROM ev GROUP BY k OVER TUMBLING INTERVAL 100 MILLISECONDS) AS per_key "
                + "WHERE n > 1 OVER TUMBLING INTERVAL 1 SECONDS", new Object[][] {
                    {"a", 1, 10}, {"a", 1, 20}, {"b", 1, 30}, {"a", 1, 150}, {"b", 1, 160}, {"b", 1, 170}, {"b", 1, 180},
                    {"a", 1, 1500}, {"a", 1, 1501}});
        assertThat(r.lines).containsExactly("2,3@999", "1,2@1999");
        assertThat(r.flow.counters().late()).isZero();
    }

    @Test
    void aggregatesOfEveryKind() throws Exception {
        Result r = run("SELECT COUNT(v), COUNT(DISTINCT k), FIRST(k), LAST(k), MIN(k), MAX(k) FROM ev "
                + "OVER TUMBLING INTERVAL 1 SECONDS", new Object[][] {
                    {"m", 1, 5}, {"z", null, 3}, {"a", 2, 7}, {"m", 3, 9}});
        assertThat(r.lines).containsExactly("3,3,z,m,a,z@999");
    }

    @Test
    void resultsDoNotDependOnOrderWithinTheSlack() throws Exception {
        List<Object[]> rows = new ArrayList<>();
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            rows.add(new Object[] {"k" + rnd.nextInt(5), rnd.nextInt(10), (long) i * 3});
        }
        String sql = "SELECT k, COUNT(*), SUM(v), WINDOW_START() FROM ev GROUP BY k OVER HOPPING INTERVAL 500 MILLISECONDS "
                + "ADVANCE INTERVAL 100 MILLISECONDS";
        List<String> sorted = run(sql, rows.toArray(new Object[0][])).lines;
        // shuffle inside blocks of 30 ms (the slack is 100 ms)
        List<Object[]> shuffled = new ArrayList<>();
        for (int i = 0; i < rows.size(); i += 10) {
            List<Object[]> block = new ArrayList<>(rows.subList(i, Math.min(rows.size(), i + 10)));
            Collections.shuffle(block, rnd);
            shuffled.addAll(block);
        }
        StreamInput again = in;
        engine.execute("DROP STREAM ev");
        in = engine.createInputStream("ev", again.columns());
        Result second = run(sql, shuffled.toArray(new Object[0][]));
        assertThat(second.lines).containsExactlyElementsOf(sorted);
        assertThat(second.flow.counters().late()).isZero();
    }
}
