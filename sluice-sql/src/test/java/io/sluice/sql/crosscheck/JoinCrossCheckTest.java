package io.sluice.sql.crosscheck;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.sql.EngineOptions;
import io.sluice.sql.RtsqlEngine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Windowed joins of two seeded random streams, checked against H2 joining on the same range. */
class JoinCrossCheckTest {
    private static final String RANGE = "OVER RANGE BETWEEN INTERVAL 100 MILLISECONDS PRECEDING"
            + " AND INTERVAL 50 MILLISECONDS FOLLOWING";
    private static final String SQL_RANGE = "r.ts BETWEEN l.ts - 100 AND l.ts + 50";

    @TempDir
    Path dir;
    private RtsqlEngine engine;
    private ReferenceDatabase db;

    @BeforeEach
    void setUp() throws Exception {
        engine = new RtsqlEngine(EngineOptions.builder().baseDirectory(dir).build());
        db = new ReferenceDatabase();
        for (String side : List.of("l", "r")) {
            List<Events.Event> events = Events.generate(side.equals("l") ? 7 : 8, 1500, 30, 1_000_000, 20, 150);
            Events.write(dir.resolve(side + ".csv"), events);
            db.load(side, events);
            engine.execute("CREATE STREAM " + side + " " + Events.COLUMNS + " FROM FILE '" + side
                    + ".csv' EVENT FORMAT 'delimited' PROPERTIES ('timestamp.col' = 'ts')");
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        engine.close();
        db.close();
    }

    private static void assertSame(List<List<Object>> expected, List<List<Object>> actual) {
        assertThat(expected).as("the reference query found rows").isNotEmpty();
        assertThat(RowSets.diff(expected, actual))
                .as("engine rows differ from H2 (%d expected, %d actual)", expected.size(), actual.size()).isNull();
    }

    @Test
    void innerJoinMatchesTheDatabase() throws Exception {
        List<List<Object>> actual = EngineRows.run(engine, "SELECT l.id AS lid, r.id AS rid, l.v AS lv, r.x AS rx"
                + " FROM l JOIN r ON l.k = r.k " + RANGE, true);
        List<List<Object>> expected = db.query("SELECT l.id, r.id, l.v, r.x, GREATEST(l.ts, r.ts) FROM l JOIN r"
                + " ON l.k = r.k AND " + SQL_RANGE);
        assertSame(expected, actual);
    }

    @Test
    void innerJoinWithAnExtraConditionMatchesTheDatabase() throws Exception {
        List<List<Object>> actual = EngineRows.run(engine, "SELECT l.id AS lid, r.id AS rid, l.v - r.v AS d"
                + " FROM l JOIN r ON l.k = r.k AND l.v > r.v " + RANGE, true);
        List<List<Object>> expected = db.query("SELECT l.id, r.id, l.v - r.v, GREATEST(l.ts, r.ts) FROM l JOIN r"
                + " ON l.k = r.k AND l.v > r.v AND " + SQL_RANGE);
        assertSame(expected, actual);
    }

    @Test
    void leftJoinMatchesTheDatabase() throws Exception {
        List<List<Object>> actual = EngineRows.run(engine, "SELECT l.id AS lid, r.id AS rid FROM l LEFT JOIN r"
                + " ON l.k = r.k " + RANGE, false);
        List<List<Object>> expected = db.query("SELECT l.id, r.id FROM l LEFT JOIN r ON l.k = r.k AND " + SQL_RANGE);
        assertSame(expected, actual);
    }
}
