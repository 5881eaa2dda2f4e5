package io.sluice.sql;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Windowed joins over rows pushed from Java. */
class JoinTest {
    private RtsqlEngine engine;
    private StreamInput left;
    private StreamInput right;
    private StreamInput third;

    @BeforeEach
    void setUp() throws Exception {
        engine = new RtsqlEngine(EngineOptions.builder().setting("rtsql.slack.time", "0").build());
        List<Column> cols = List.of(new Column("k", SqlType.INT), new Column("x", SqlType.STRING));
        left = engine.createInputStream("l", cols);
        right = engine.createInputStream("r", cols);
        third = engine.createInputStream("t", List.of(new Column("k", SqlType.BIGINT), new Column("y", SqlType.STRING)));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private static List<String> lines(Flow f, EngineTestSupport.Collector c) {
        List<String> out = new ArrayList<>();
        for (Row row : c.rows) {
            out.add(OutputFormat.CSV.format(f.columns(), row) + "@" + row.eventTime());
        }
        return out;
    }

    @Test
    void innerJoinEmitsEachPairOnceWhenItsLaterRowArrives() throws Exception {
        EngineTestSupport.Collector c = new EngineTestSupport.Collector();
        Flow f = engine.execute("SELECT l.x, r.x FROM l JOIN r ON l.k = r.k "
                + "OVER RANGE BETWEEN INTERVAL 100 MILLISECONDS PRECEDING AND INTERVAL 50 MILLISECONDS FOLLOWING", c)
                .flow().orElseThrow();
        right.push(new Object[] {1, "r-before"}, 900);    // l - 100: joins (bound is inclusive)
        left.push(new Object[] {1, "l1"}, 1000);
        right.push(new Object[] {1, "r-too-early"}, 899);  // outside; and behind the watermark: late
        right.push(new Object[] {2, "other-key"}, 1000);
        right.push(new Object[] {null, "null-key"}, 1000);
        right.push(new Object[] {1, "r-after"}, 1050);     // l + 50: joins
        right.push(new Object[] {1, "r-too-late"}, 1051);
        left.push(new Object[] {1, "l2"}, 1060);           // joins r-after and r-too-late (r >= l - 100)
        left.end();
        right.end();
        assertThat(f.awaitEnd(Duration.ofSeconds(5))).isTrue();
        assertThat(lines(f, c)).containsExactly("l1,r-before@1000", "l1,r-after@1050", "l2,r-after@1060",
                "l2,r-too-late@1060");
        assertThat(f.counters().late()).isEqualTo(1);
    }

    @Test
    void leftJoinEmitsUnmatchedRowsWithNullsOnceTheirWindowHasPassed() throws Exception {
        EngineTestSupport.Collector c = new EngineTestSupport.Collector();
        Flow f = engine.execute("SELECT l.x, r.x AS rx FROM l LEFT JOIN r ON l.k = r.k AND r.x != 'no' "
                + "OVER RANGE INTERVAL 100 MILLISECONDS PRECEDING", c).flow().orElseThrow();
        left.push(new Object[] {1, "alone"}, 1000);
        right.push(new Object[] {1, "no"}, 1000);         // residual condition fails
        left.push(new Object[] {2, "matched"}, 1000);
        right.push(new Object[] {2, "yes"}, 1000);
        assertThat(lines(f, c)).containsExactly("matched,yes@1000");
        right.push(new Object[] {9, "tick"}, 1001);       // watermark 1001 > 1000 + 0: 'alone' has no partner left
        assertThat(lines(f, c)).containsExactly("matched,yes@1000", "alone,@1000");
        left.push(new Object[] {3, "at-end"}, 2000);
        left.end();
        right.end();
        assertThat(f.awaitEnd(Duration.ofSeconds(5))).isTrue();
        assertThat(lines(f, c)).containsExactly("matched,yes@1000", "alone,@1000", "at-end,@2000");
        assertThat(f.columns().get(1).type().nullable()).isTrue();
    }

    @Test
    void joinsChainAndWidenKeys() throws Exception {
        EngineTestSupport.Collector c = new EngineTestSupport.Collector();
        Flow f = engine.execute("SELECT l.x, r.x, t.y FROM l JOIN r ON l.k = r.k OVER RANGE INTERVAL 1 SECONDS PRECEDING "
                + "JOIN t ON t.k = l.k OVER RANGE BETWEEN INTERVAL 1 SECONDS PRECEDING AND INTERVAL 1 SECONDS FOLLOWING", c)
                .flow().orElseThrow();
        right.push(new Object[] {5, "r"}, 100);
        left.push(new Object[] {5, "l"}, 200);
        third.push(new Object[] {5L, "t"}, 300);
        third.push(new Object[] {6L, "other"}, 300);
        left.end();
        right.end();
        third.end();
        assertThat(f.awaitEnd(Duration.ofSeconds(5))).isTrue();
        assertThat(lines(f, c)).containsExactly("l,r,t@300");
    }

    @Test
    void aggregateOverAJoin() throws Exception {
        EngineTestSupport.Collector c = new EngineTestSupport.Collector();
        Flow f = engine.execute("SELECT l.k, COUNT(*) AS pairs FROM l JOIN r ON l.k = r.k "
                + "OVER RANGE INTERVAL 1 SECONDS PRECEDING GROUP BY l.k OVER TUMBLING INTERVAL 10 SECONDS", c)
                .flow().orElseThrow();
        for (int i = 0; i < 3; i++) {
            right.push(new Object[] {1, "r" + i}, 100 + i);
        }
        left.push(new Object[] {1, "l"}, 500);
        left.push(new Object[] {2, "l"}, 600);
        left.end();
        right.end();
        assertThat(f.awaitEnd(Duration.ofSeconds(5))).isTrue();
        assertThat(lines(f, c)).containsExactly("1,3@9999");
    }
}
