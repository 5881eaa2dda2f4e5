package io.sluice.sql.crosscheck;

import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Windowed joins of two seeded random streams, checked against H2 joining on the same range. */
class JoinCrossCheckTest extends CrossCheck {
    private static final String RANGE = "OVER RANGE BETWEEN INTERVAL 100 MILLISECONDS PRECEDING"
            + " AND INTERVAL 50 MILLISECONDS FOLLOWING";
    private static final String SQL_RANGE = "r.ts BETWEEN l.ts - 100 AND l.ts + 50";

    @BeforeEach
    void loadStreams() throws Exception {
        for (String side : List.of("l", "r")) {
            List<Events.Event> events = Events.generate(side.equals("l") ? 7 : 8, 1500, 30, 1_000_000, 20, 150);
            Events.write(dir.resolve(side + ".csv"), events);
            db.load(side, events);
            engine.execute("CREATE STREAM " + side + " " + Events.COLUMNS + " FROM FILE '" + side
                    + ".csv' EVENT FORMAT 'delimited' PROPERTIES ('timestamp.col' = 'ts')");
        }
    }

    @Test
    void innerJoinMatchesTheDatabase() throws Exception {
        assertEngineMatchesDatabase("SELECT l.id AS lid, r.id AS rid, l.v AS lv, r.x AS rx"
                + " FROM l JOIN r ON l.k = r.k " + RANGE, true,
                "SELECT l.id, r.id, l.v, r.x, GREATEST(l.ts, r.ts) FROM l JOIN r"
                + " ON l.k = r.k AND " + SQL_RANGE);
    }

    @Test
    void innerJoinWithAnExtraConditionMatchesTheDatabase() throws Exception {
        assertEngineMatchesDatabase("SELECT l.id AS lid, r.id AS rid, l.v - r.v AS d"
                + " FROM l JOIN r ON l.k = r.k AND l.v > r.v " + RANGE, true,
                "SELECT l.id, r.id, l.v - r.v, GREATEST(l.ts, r.ts) FROM l JOIN r"
                + " ON l.k = r.k AND l.v > r.v AND " + SQL_RANGE);
    }

    @Test
    void leftJoinMatchesTheDatabase() throws Exception {
        assertEngineMatchesDatabase("SELECT l.id AS lid, r.id AS rid FROM l LEFT JOIN r"
                + " ON l.k = r.k " + RANGE, false,
                "SELECT l.id, r.id FROM l LEFT JOIN r ON l.k = r.k AND " + SQL_RANGE);
    }
}
