package io.sluice.sql;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every analysis error carries its position and says what to do. */
class AnalyzerErrorTest {
    private RtsqlEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = new RtsqlEngine();
        engine.execute("CREATE STREAM clicks (ts TIMESTAMP, user STRING, page STRING, ms INT) FROM LOCAL FILE 'c.csv' "
                + "PROPERTIES ('timestamp.col' = 'ts')");
        engine.execute("CREATE STREAM views (ts TIMESTAMP, page STRING, n BIGINT) FROM LOCAL FILE 'v.csv'");
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private RtsqlException error(String sql) {
        try {
            engine.execute(sql);
        } catch (RtsqlException e) {
            return e;
        }
        throw new AssertionError("expected an error for: " + sql);
    }

    @Test
    void unknownColumnSuggestsTheClosestName() {
        RtsqlException e = error("SELECT page, user, ms + 1, pgae FROM clicks");
        assertThat(e.getMessage()).isEqualTo("line 1:28: column 'pgae' does not exist in stream 'clicks' (did you mean 'page'?)");
        assertThat(e.line()).isEqualTo(1);
        assertThat(e.column()).isEqualTo(28);
    }

    @Test
    void aggregateWithoutWindowIsRefusedAtTheAggregate() {
        RtsqlException e = error("SELECT COUNT(*) FROM clicks");
        assertThat(e.getMessage()).startsWith("line 1:8: aggregate COUNT needs an OVER window");
    }

    @Test
    void everyProblemIsReportedInOrder() {
        RtsqlException e = error("SELECT nope,\n  UPPER(1, 2),\n  pgae\nFROM clicks WHERE ms");
        assertThat(e.problems()).hasSize(4);
        assertThat(e.problems().get(0)).startsWith("line 1:8: column 'nope'");
        assertThat(e.problems().get(1)).startsWith("line 2:3: function UPPER");
        assertThat(e.problems().get(2)).startsWith("line 3:3: column 'pgae'");
        assertThat(e.problems().get(3)).startsWith("line 4:19: WHERE needs a BOOLEAN condition, not INT");
    }

    @Test
    void unknownStreamAndFunctionAreNamed() {
        assertThat(error("SELECT a FROM clikcs").getMessage())
                .startsWith("line 1:15: stream 'clikcs' does not exist (did you mean 'clicks'?)");
        assertThat(error("SELECT uper(page) FROM clicks").getMessage())
                .isEqualTo("line 1:8: function 'uper' does not exist (did you mean 'upper'?)");
    }

    @Test
    void typeErrorsNameTheTypes() {
        assertThat(error("SELECT ms + TRUE FROM clicks").getMessage()).contains("operator + cannot take INT and BOOLEAN");
        assertThat(error("SELECT page FROM clicks WHERE page > 3").getMessage())
                .contains("cannot compare STRING with INT; use CAST");
        assertThat(error("SELECT NOT ms FROM clicks").getMessage()).contains("NOT needs a BOOLEAN operand, not INT");
    }

    @Test
    void groupByRulesAreEnforced() {
        assertThat(error("SELECT user, COUNT(*) FROM clicks GROUP BY page OVER TUMBLING INTERVAL 1 SECONDS").getMessage())
                .isEqualTo("line 1:8: column 'user' must be in GROUP BY or inside an aggregate");
        assertThat(error("SELECT page FROM clicks WHERE COUNT(*) > 1").getMessage())
                .contains("aggregate COUNT is not allowed in WHERE; use HAVING");
        assertThat(error("SELECT WINDOW_START() FROM clicks").getMessage()).contains("WINDOW_START() is only valid");
        assertThat(error("SELECT * FROM clicks OVER TUMBLING INTERVAL 1 SECONDS").getMessage())
                .contains("an OVER window needs aggregates or GROUP BY");
        assertThat(error("SELECT SUM(page) FROM clicks OVER TUMBLING INTERVAL 1 SECONDS").getMessage())
                .contains("SUM needs a number, not STRING");
        assertThat(error("SELECT COUNT(*) FROM clicks OVER w").getMessage()).contains("window 'w' is not defined");
    }

    @Test
    void havingMayNameSelectAliases() throws Exception {
        StatementResult r = engine.execute("EXPLAIN SELECT page, COUNT(*) AS hits FROM clicks GROUP BY page "
                + "OVER TUMBLING INTERVAL 1 MINUTES HAVING hits > 10");
        assertThat(r.rows().toString()).contains("Filter[(COUNT(*) > 10)]", "WindowAggregate[TUMBLING 60000 ms");
    }

    @Test
    void joinsNeedAnEqualityAndARange() {
        assertThat(error("SELECT * FROM clicks c JOIN views v ON c.ms > 1 OVER RANGE INTERVAL 1 SECONDS PRECEDING").getMessage())
                .contains("a JOIN needs an equality between a column of each side");
        assertThat(error("SELECT * FROM clicks c JOIN views v ON c.page = v.page OVER TUMBLING INTERVAL 1 SECONDS").getMessage())
                .contains("a JOIN window is RANGE");
        assertThat(error("SELECT page FROM clicks c JOIN views v ON c.page = v.page OVER RANGE INTERVAL 1 SECONDS PRECEDING")
                .getMessage()).contains("column 'page' is ambiguous; qualify it: c.page or v.page");
    }

    @Test
    void createStreamChecksFormatProperties() {
        RtsqlException e = error("CREATE STREAM x (a INT) FROM FILE 'x' EVENT FORMAT 'regex' PROPERTIES ('timestamp.col' = 'b', 'dlim' = ',')");
        assertThat(e.problems()).anyMatch(p -> p.contains("property 'dlim' is not known for format 'regex'"));
        assertThat(e.problems()).anyMatch(p -> p.contains("timestamp.col 'b' is not a column of the stream"));
        assertThat(e.problems()).anyMatch(p -> p.contains("format 'regex' needs property 'regex'"));
        assertThat(error("CREATE STREAM clicks (a INT) FROM FILE 'x'").getMessage()).contains("stream 'clicks' already exists");
        assertThat(error("CREATE STREAM y (a INTEGR) FROM FILE 'x'").getMessage())
                .startsWith("line 1:20: unknown type 'integr'");
    }

    @Test
    void syntaxErrorsCarryThePosition() {
        RtsqlException e = error("SELECT page\nFROM clicks WHERE");
        assertThat(e.getMessage()).startsWith("line 2:18: syntax error at end of statement");
        assertThat(error("SELEC page FROM clicks").getMessage()).startsWith("line 1:1: syntax error at 'SELEC'");
    }

    @Test
    void scriptPositionsSurviveSplitting() throws Exception {
        List<String> parts = RtsqlEngine.splitStatements("SET 'a' = 'b'; -- c;\n/* ; */ SELECT 'x;y', pgae\n FROM clicks;\n;");
        assertThat(parts).hasSize(2);
        assertThatThrownBy(() -> engine.execute(parts.get(1))).hasMessageStartingWith("line 2:23: column 'pgae'");
    }
}
