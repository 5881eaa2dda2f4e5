package io.sluice.sql.crosscheck;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Windowed aggregates over seeded random events, checked against H2 computing the same windows. */
class WindowCrossCheckTest extends CrossCheck {
    private static final String STREAM = "CREATE STREAM ev " + Events.COLUMNS
            + " FROM FILE 'ev.csv' EVENT FORMAT 'delimited' PROPERTIES ('timestamp.col' = 'ts')";

    private void load(List<Events.Event> events) throws Exception {
        Events.write(dir.resolve("ev.csv"), events);
        db.load("ev", events);
        engine.execute(STREAM);
    }

    /** An H2 table {@code offs(j)} of 0..3, to put each event in the four windows (or buckets) that hold it. */
    private void loadWindowOffsets() throws Exception {
        db.execute("CREATE TABLE offs (j INT)");
        db.execute("INSERT INTO offs VALUES (0), (1), (2), (3)");
    }

    @Test
    void tumblingGroupByMatchesTheDatabase() throws Exception {
        load(Events.generate(42, 6000, 40, 1_000_000, 8, 150));
        assertEngineMatchesDatabase("SELECT k, COUNT(*) AS n, COUNT(v) AS nv, SUM(v) AS s,"
                + " MIN(v) AS mn, MAX(v) AS mx, AVG(v) AS av, COUNT(DISTINCT v) AS dv, SUM(x) AS sx,"
                + " WINDOW_START() AS ws FROM ev GROUP BY k OVER TUMBLING INTERVAL 1 SECOND", true,
                "SELECT k, COUNT(*), COUNT(v), SUM(v), MIN(v), MAX(v),"
                + " AVG(CAST(v AS DOUBLE PRECISION)), COUNT(DISTINCT v), SUM(x), ws, ws + 999"
                + " FROM (SELECT k, v, x, (ts / 1000) * 1000 AS ws FROM ev) w GROUP BY k, ws");
    }

    @Test
    void hoppingGroupByMatchesTheDatabase() throws Exception {
        load(Events.generate(43, 4000, 25, 2_000_000, 8, 150));
        loadWindowOffsets();
        assertEngineMatchesDatabase("SELECT k, COUNT(*) AS n, SUM(v) AS s, MIN(v) AS mn,"
                + " MAX(v) AS mx, WINDOW_START() AS ws, WINDOW_END() AS we FROM ev GROUP BY k"
                + " OVER HOPPING INTERVAL 2 SECONDS ADVANCE INTERVAL 500 MILLISECONDS", true,
                "SELECT k, COUNT(*), SUM(v), MIN(v), MAX(v), ws, ws + 2000, ws + 1999"
                + " FROM (SELECT k, v, (ts / 500 - j) * 500 AS ws FROM ev, offs) w GROUP BY k, ws");
    }

    @Test
    void rangePrecedingWithBucketsMatchesTheDatabase() throws Exception {
        load(Events.generate(44, 3000, 10, 3_000_000, 8, 150));
        loadWindowOffsets();
        engine.execute("SET 'rtsql.window.buckets' = '4'");
        assertEngineMatchesDatabase("SELECT k, COUNT(*) AS n, AVG(x) AS ax,"
                + " WINDOW_START() AS ws FROM ev GROUP BY k OVER RANGE INTERVAL 2 SECONDS PRECEDING", false,
                "SELECT k, COUNT(*), AVG(x), ws"
                + " FROM (SELECT k, x, (ts / 500 - j) * 500 AS ws FROM ev, offs) w GROUP BY k, ws");
    }

    @Test
    void globalTumblingWithWhereAndHavingMatchesTheDatabase() throws Exception {
        load(Events.generate(45, 6000, 40, 4_000_000, 8, 150));
        assertEngineMatchesDatabase("SELECT COUNT(*) AS n, SUM(v) AS s, MAX(x) AS mx,"
                + " MIN(v) AS mn, WINDOW_START() AS ws FROM ev WHERE v > 0 AND k <> 'k3'"
                + " OVER TUMBLING INTERVAL 250 MILLISECONDS HAVING COUNT(*) > 20", false,
                "SELECT COUNT(*), SUM(v), MAX(x), MIN(v), ws"
                + " FROM (SELECT v, x, (ts / 250) * 250 AS ws FROM ev WHERE v > 0 AND k <> 'k3') w"
                + " GROUP BY ws HAVING COUNT(*) > 20");
    }

    @Test
    void sessionWindowsMatchTheDatabase() throws Exception {
        load(Events.generate(46, 2000, 10, 5_000_000, 200, 150));
        assertEngineMatchesDatabase("SELECT k, COUNT(*) AS n, SUM(v) AS s, WINDOW_START() AS ws,"
                + " WINDOW_END() AS we FROM ev GROUP BY k OVER SESSION INTERVAL 1500 MILLISECONDS", true,
                "SELECT k, COUNT(*), SUM(v), MIN(ts), MAX(ts) + 1500, MAX(ts) + 1499"
                + " FROM (SELECT k, ts, v, SUM(flag) OVER (PARTITION BY k ORDER BY ts, id ROWS UNBOUNDED PRECEDING) sid"
                + " FROM (SELECT k, ts, v, id, CASE WHEN ts - LAG(ts) OVER (PARTITION BY k ORDER BY ts, id) < 1500"
                + " THEN 0 ELSE 1 END flag FROM ev) f) s GROUP BY k, sid");
    }
}
