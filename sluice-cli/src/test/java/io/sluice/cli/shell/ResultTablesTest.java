package io.sluice.cli.shell;

import io.sluice.sql.Column;
import io.sluice.sql.DisplayWidth;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.SqlType;
import io.sluice.sql.StatementResult;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** EXPLAIN, DESCRIBE and SHOW tables fit the terminal's width. */
class ResultTablesTest {
    private static List<String> print(StatementResult r, int width) {
        StringWriter out = new StringWriter();
        PrintWriter w = new PrintWriter(out);
        ResultTables.print(r, w, width);
        w.flush();
        return out.toString().lines().toList();
    }

    @Test
    void explainAndShowFitTheTerminal() throws Exception {
        try (RtsqlEngine engine = new RtsqlEngine()) {
            engine.createInputStream("clicks", List.of(new Column("page", SqlType.STRING),
                    new Column("user_agent_string", SqlType.STRING), new Column("ms", SqlType.INT)));
            StatementResult explain = engine.execute("EXPLAIN SELECT page, user_agent_string, COUNT(*) AS n, "
                    + "SUM(ms) AS total, MAX(ms) AS slowest FROM clicks WHERE page LIKE '/product/%' AND ms > 100 "
                    + "GROUP BY page, user_agent_string OVER HOPPING INTERVAL 10 MINUTES ADVANCE INTERVAL 1 MINUTES");
            StatementResult functions = engine.execute("SHOW FUNCTIONS");
            for (StatementResult r : List.of(explain, functions)) {
                List<String> wide = print(r, 1000);
                assertThat(wide.stream().mapToInt(DisplayWidth::of).max().orElseThrow()).isGreaterThan(60);
                List<String> narrow = print(r, 60);
                assertThat(narrow).allSatisfy(l -> assertThat(DisplayWidth.of(l)).as(l).isLessThanOrEqualTo(60));
            }
            // wrapping keeps every word of the plan
            String joined = String.join(" ", print(explain, 60));
            assertThat(joined).contains("/product/%").contains("HOPPING");
        }
    }
}
