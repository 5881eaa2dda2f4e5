package io.sluice.sql.parser;

import io.sluice.sql.RtsqlException;
import io.sluice.sql.SqlType;
import io.sluice.sql.ast.Expr;
import io.sluice.sql.ast.Pos;
import io.sluice.sql.ast.Relation;
import io.sluice.sql.ast.Statement;
import io.sluice.sql.ast.WindowSpec;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SqlParserTest {
    private static Expr expr(String e) throws RtsqlException {
        Statement.Select s = (Statement.Select) SqlParser.parse("SELECT " + e + " FROM s");
        return s.query().items().get(0).expr();
    }

    @Test
    void keywordsAreCaseInsensitiveAndIdentifiersFolded() throws Exception {
        Statement.Select s = (Statement.Select) SqlParser.parse("select Page, \"MixedCase\", \"select\" From Clicks");
        assertThat(s.query().items()).extracting(i -> ((Expr.ColumnRef) i.expr()).name())
                .containsExactly("page", "MixedCase", "select");
        assertThat(((Relation.Named) s.query().from()).name()).isEqualTo("clicks");
    }

    @Test
    void literalsGetTheNarrowestType() throws Exception {
        assertThat(((Expr.Literal) expr("7")).type()).isEqualTo(SqlType.INT.notNull());
        assertThat(((Expr.Literal) expr("3000000000")).type()).isEqualTo(SqlType.BIGINT.notNull());
        assertThat(((Expr.Literal) expr("-9223372036854775808")).value()).isEqualTo(Long.MIN_VALUE);
        assertThat(((Expr.Literal) expr("1.5e3")).value()).isEqualTo(1500.0);
        assertThat(((Expr.Literal) expr("'it''s \\t\\u0041'")).value()).isEqualTo("it's \tA");
        assertThat(((Expr.Literal) expr("NULL")).type()).isEqualTo(SqlType.NULL);
        assertThat(expr("#host")).isEqualTo(new Expr.HeaderRef(new Pos(1, 8), "host"));
    }

    @Test
    void precedenceFollowsTheContract() throws Exception {
        Expr e = expr("a + b * c = d OR NOT e AND f");
        assertThat(e).isInstanceOf(Expr.Binary.class);
        Expr.Binary or = (Expr.Binary) e;
        assertThat(or.op()).isEqualTo("OR");
        Expr.Binary eq = (Expr.Binary) or.left();
        assertThat(eq.op()).isEqualTo("=");
        assertThat(((Expr.Binary) ((Expr.Binary) eq.left()).right()).op()).isEqualTo("*");
        Expr.Binary and = (Expr.Binary) or.right();
        assertThat(and.op()).isEqualTo("AND");
        assertThat(and.left()).isInstanceOf(Expr.Not.class);
    }

    @Test
    void windowsAreReadInMilliseconds() throws Exception {
        Statement.Select s = (Statement.Select) SqlParser.parse("SELECT COUNT(*) FROM s GROUP BY k "
                + "OVER HOPPING INTERVAL 2 MINUTES ADVANCE INTERVAL 30 SECONDS");
        assertThat(s.query().window()).isEqualTo(new WindowSpec.Hopping(new Pos(1, 40), 120_000, 30_000));
        Statement.Select j = (Statement.Select) SqlParser.parse("SELECT * FROM a LEFT OUTER JOIN b ON a.k = b.k "
                + "OVER RANGE BETWEEN INTERVAL 1 WEEK PRECEDING AND INTERVAL 5 MILLISECONDS FOLLOWING");
        Relation.Join join = (Relation.Join) j.query().from();
        assertThat(join.leftOuter()).isTrue();
        assertThat(join.window()).isEqualTo(new WindowSpec.Range(new Pos(1, 53), 604_800_000L, 5));
    }

    @Test
    void createStreamReadsSourceFormatAndProperties() throws Exception {
        Statement.CreateStream c = (Statement.CreateStream) SqlParser.parse(
                "CREATE STREAM x (a INT NOT NULL, b LIST<PRECISE(2)>) FROM SOURCE 'netcat' PROPERTIES ('port'='1') "
                        + "EVENT FORMAT 'JSON' PROPERTIES ('path.a' = '/x')");
        assertThat(c.columns().get(0).type()).isEqualTo(SqlType.INT.notNull());
        assertThat(c.columns().get(1).type()).isEqualTo(SqlType.list(SqlType.precise(2)));
        assertThat(c.sourceKind()).isEqualTo(Statement.SourceKind.SOURCE);
        assertThat(c.sourceProperties()).containsEntry("port", "1");
        assertThat(c.format()).isEqualTo("json");
        assertThat(c.formatProperties()).containsEntry("path.a", "/x");
    }

    @Test
    void badUnitsAndTypesArePositioned() {
        assertThatThrownBy(() -> SqlParser.parse("SELECT COUNT(*) FROM s OVER TUMBLING INTERVAL 5 FORTNIGHTS"))
                .hasMessageStartingWith("line 1:49: unknown time unit 'fortnights'");
        assertThatThrownBy(() -> SqlParser.parse("SELECT CAST(a AS PRECISE) FROM s"))
                .hasMessageStartingWith("line 1:18: PRECISE needs a scale");
        assertThatThrownBy(() -> SqlParser.parse("SELECT a FROM s WHERE 'open"))
                .isInstanceOf(RtsqlException.class).hasMessageStartingWith("line 1:23:");
    }

    @Test
    void commentsAreIgnored() throws Exception {
        assertThat(SqlParser.parse("-- hello\nSHOW /* all */ STREAMS // done")).isInstanceOf(Statement.Show.class);
    }
}
