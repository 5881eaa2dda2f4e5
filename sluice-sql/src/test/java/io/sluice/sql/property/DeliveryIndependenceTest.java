package io.sluice.sql.property;

import io.sluice.sql.Column;
import io.sluice.sql.EngineOptions;
import io.sluice.sql.Flow;
import io.sluice.sql.Row;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.SqlType;
import io.sluice.sql.StreamInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * For several seeds and queries, the rows (values and event times, as a multiset) and the counters
 * are the same whether the events come from a file, are pushed row by row, are pushed as text in
 * random batches from changing threads, or arrive re-ordered within the slack.
 */
class DeliveryIndependenceTest {
    private static final List<Column> COLUMNS = List.of(new Column("id", SqlType.INT),
            new Column("ts", SqlType.TIMESTAMP), new Column("k", SqlType.STRING), new Column("v", SqlType.INT));
    private static final String WITH = " EVENT FORMAT 'delimited' PROPERTIES ('timestamp.col' = 'ts')";
    private static final long SLACK = 200;

    private static final List<String> SINGLE_INPUT_QUERIES = List.of(
            "SELECT k, COUNT(*) AS n, SUM(v) AS s, MIN(v) AS mn, MAX(v) AS mx, AVG(v) AS a, COUNT(DISTINCT v) AS d,"
                    + " WINDOW_START() AS ws FROM a GROUP BY k OVER TUMBLING INTERVAL 1 SECOND",
            "SELECT k, COUNT(*) AS n, SUM(v) AS s, MAX(v) AS mx, WINDOW_START() AS ws FROM a GROUP BY k"
                    + " OVER HOPPING INTERVAL 3 SECONDS ADVANCE INTERVAL 500 MILLISECONDS",
            "SELECT k, COUNT(*) AS n, FIRST(id) AS f, LAST(id) AS l, WINDOW_START() AS ws, WINDOW_END() AS we FROM a"
                    + " GROUP BY k OVER SESSION INTERVAL 400 MILLISECONDS",
            "SELECT COUNT(*) AS n, SUM(v) AS s FROM a WHERE v > 50 OVER RANGE INTERVAL 2 SECONDS PRECEDING"
                    + " HAVING COUNT(*) > 3",
            "SELECT id, k, v * 2 AS w FROM a WHERE v IS NULL OR v % 3 = 0");
    private static final List<String> JOIN_QUERIES = List.of(
            "SELECT a.id AS aid, b.id AS bid, a.v + b.v AS s FROM a JOIN b ON a.k = b.k"
                    + " OVER RANGE BETWEEN INTERVAL 150 MILLISECONDS PRECEDING AND INTERVAL 80 MILLISECONDS FOLLOWING",
            "SELECT a.id AS aid, b.id AS bid FROM a LEFT JOIN b ON a.k = b.k AND b.v > a.v"
                    + " OVER RANGE INTERVAL 300 MILLISECONDS PRECEDING");

    @TempDir
    Path dir;

    /** What one flow produced: its rows as text with event time, sorted, and its late count. */
    record Result(List<String> rows, long late, long eventsIn) {
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 3})
    void singleStreamQueriesDoNotDependOnDelivery(long seed) throws Exception {
        List<Delivery.Ev> events = Delivery.inOrder(seed, 2500, 12, 12);
        List<Delivery.Ev> shuffled = Delivery.disordered(events, SLACK, seed * 31);
        assertThat(shuffled).isNotEqualTo(events).containsExactlyInAnyOrderElementsOf(events);
        Files.write(dir.resolve("a.csv"), Delivery.lines(events), StandardCharsets.UTF_8);
        for (String q : SINGLE_INPUT_QUERIES) {
            Result fromFile = fromFile(q);
            assertThat(fromFile.rows()).as("rows of %s", q).isNotEmpty();
            assertThat(fromFile.eventsIn()).isEqualTo(events.size());
            assertThat(pushed(q, events, false, seed)).as("pushed rows, %s", q).isEqualTo(fromFile);
            assertThat(pushed(q, events, true, seed)).as("text batches on changing threads, %s", q).isEqualTo(fromFile);
            assertThat(pushed(q, shuffled, false, seed)).as("disordered within the slack, %s", q).isEqualTo(fromFile);
            assertThat(pushed(q, shuffled, true, seed + 7)).as("disordered text batches, %s", q).isEqualTo(fromFile);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {4, 5})
    void joinsDoNotDependOnDelivery(long seed) throws Exception {
        List<Delivery.Ev> left = Delivery.inOrder(seed, 1500, 25, 15);
        List<Delivery.Ev> right = Delivery.inOrder(seed + 100, 1500, 25, 15);
        Files.write(dir.resolve("a.csv"), Delivery.lines(left), StandardCharsets.UTF_8);
        Files.write(dir.resolve("b.csv"), Delivery.lines(right), StandardCharsets.UTF_8);
        for (String q : JOIN_QUERIES) {
            Result fromFiles = joinFromFiles(q);
            assertThat(fromFiles.rows()).as("rows of %s", q).isNotEmpty();
            assertThat(joinPushed(q, left, right)).as("pushed interleaved in time order, %s", q).isEqualTo(fromFiles);
            assertThat(joinPushed(q, Delivery.disordered(left, SLACK, seed), Delivery.disordered(right, SLACK, seed + 1)))
                    .as("disordered within the slack, %s", q).isEqualTo(fromFiles);
        }
    }

    private RtsqlEngine engine() {
        return new RtsqlEngine(EngineOptions.builder().baseDirectory(dir).build());
    }

    private Result fromFile(String query) throws Exception {
        try (RtsqlEngine engine = engine()) {
            engine.execute("CREATE STREAM a (id INT, ts TIMESTAMP, k STRING, v INT) FROM FILE 'a.csv'" + WITH);
            return collect(engine, query, () -> { });
        }
    }

    private Result joinFromFiles(String query) throws Exception {
        try (RtsqlEngine engine = engine()) {
            engine.execute("CREATE STREAM a (id INT, ts TIMESTAMP, k STRING, v INT) FROM FILE 'a.csv'" + WITH);
            engine.execute("CREATE STREAM b (id INT, ts TIMESTAMP, k STRING, v INT) FROM FILE 'b.csv'" + WITH);
            return collect(engine, query, () -> { });
        }
    }

    private Result pushed(String query, List<Delivery.Ev> events, boolean asTextBatches, long seed) throws Exception {
        try (RtsqlEngine engine = engine()) {
            StreamInput in = engine.createInputStream("a", COLUMNS, "delimited", Map.of("timestamp.col", "ts"));
            return collect(engine, query, () -> {
                if (asTextBatches) {
                    Delivery.textBatchesOnChangingThreads(in, events, 64, seed);
                } else {
                    Delivery.rows(in, events);
                }
            });
        }
    }

    /** Pushes both sides from one thread, merged by arrival position (left and right alternate runs). */
    private Result joinPushed(String query, List<Delivery.Ev> left, List<Delivery.Ev> right) throws Exception {
        try (RtsqlEngine engine = engine()) {
            StreamInput a = engine.createInputStream("a", COLUMNS, "delimited", Map.of("timestamp.col", "ts"));
            StreamInput b = engine.createInputStream("b", COLUMNS, "delimited", Map.of("timestamp.col", "ts"));
            return collect(engine, query, () -> {
                int i = 0;
                int j = 0;
                while (i < left.size() || j < right.size()) {
                    boolean takeLeft = j >= right.size() || (i < left.size() && left.get(i).ts() <= right.get(j).ts());
                    Delivery.Ev e = takeLeft ? left.get(i++) : right.get(j++);
                    (takeLeft ? a : b).push(e.values(), e.ts());
                }
                a.end();
                b.end();
            });
        }
    }

    /** Something that feeds the flow's inputs. */
    interface Feed {
        void run() throws Exception;
    }

    private static Result collect(RtsqlEngine engine, String query, Feed feed) throws Exception {
        List<Row> rows = new CopyOnWriteArrayList<>();
        Flow flow = engine.execute(query, rows::add).flow().orElseThrow();
        feed.run();
        assertThat(flow.awaitEnd(Duration.ofSeconds(60))).as("flow of %s ended", query).isTrue();
        assertThat(flow.state()).as("%s: %s", query, flow.failure()).isEqualTo(Flow.State.FINISHED);
        List<String> out = new ArrayList<>();
        for (Row r : rows) {
            out.add(r.values() + "@" + r.eventTime());
        }
        out.sort(null);
        assertThat(flow.counters().late()).as("late events of %s", query).isZero();
        return new Result(out, flow.counters().late(), flow.counters().eventsIn());
    }
}
