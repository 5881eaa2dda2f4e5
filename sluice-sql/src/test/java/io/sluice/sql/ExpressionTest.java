package io.sluice.sql;

import io.sluice.api.Event;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Scalar expressions evaluated by real flows over one pushed row. */
class ExpressionTest {
    private RtsqlEngine engine;
    private StreamInput in;

    @BeforeEach
    void setUp() throws Exception {
        engine = new RtsqlEngine(EngineOptions.builder().clock(Clock.fixed(
                Instant.ofEpochMilli(777), ZoneOffset.UTC)).build());
        in = engine.createInputStream("t", List.of(
                new Column("i", SqlType.INT), new Column("b", SqlType.BIGINT), new Column("d", SqlType.DOUBLE),
                new Column("s", SqlType.STRING), new Column("n", SqlType.INT), new Column("flag", SqlType.BOOLEAN),
                new Column("p", SqlType.precise(2)), new Column("l", SqlType.list(SqlType.STRING)),
                new Column("ts", SqlType.TIMESTAMP)));
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private Object eval(String expr) throws Exception {
        EngineTestSupport.Collector c = new EngineTestSupport.Collector();
        StatementResult r = engine.execute("SELECT " + expr + " AS x FROM t", c);
        in.push(new Object[] {7, 10_000_000_000L, 2.5, "Hello", null, true, new BigDecimal("1.25"),
                List.of("a", "b"), 86_400_000L}, 1234);
        Flow f = r.flow().orElseThrow();
        engine.dropFlow(f.id());
        assertThat(c.rows).hasSize(1);
        return c.rows.get(0).value(0);
    }

    private SqlType typeOf(String expr) throws Exception {
        StatementResult r = engine.execute("SELECT " + expr + " AS x FROM t");
        engine.dropFlow(r.flow().orElseThrow().id());
        return r.columns().get(0).type();
    }

    @Test
    void arithmeticWidensIntegersAndDoubles() throws Exception {
        assertThat(eval("i + 1")).isEqualTo(8);
        assertThat(eval("i + b")).isEqualTo(10_000_000_007L);
        assertThat(eval("i * d")).isEqualTo(17.5);
        assertThat(eval("i / 2")).isEqualTo(3);
        assertThat(eval("i % 4")).isEqualTo(3);
        assertThat(eval("i / 0")).isNull();
        assertThat(eval("-i")).isEqualTo(-7);
        assertThat(eval("p + 1")).isEqualTo(new BigDecimal("2.25"));
        assertThat(typeOf("i + b").kind()).isEqualTo(SqlType.Kind.BIGINT);
        assertThat(typeOf("i + d").kind()).isEqualTo(SqlType.Kind.DOUBLE);
        assertThat(eval("3000000000")).isEqualTo(3_000_000_000L);
        assertThat(eval("1.5")).isEqualTo(1.5);
    }

    @Test
    void nullFollowsThreeValuedLogic() throws Exception {
        assertThat(eval("n > 1 AND FALSE")).isEqualTo(false);
        assertThat(eval("n > 1 AND TRUE")).isNull();
        assertThat(eval("n > 1 OR TRUE")).isEqualTo(true);
        assertThat(eval("n > 1 OR FALSE")).isNull();
        assertThat(eval("NOT (n > 1)")).isNull();
        assertThat(eval("n IS NULL")).isEqualTo(true);
        assertThat(eval("i IS NOT NULL")).isEqualTo(true);
        assertThat(eval("n + 1")).isNull();
        assertThat(eval("i IN (1, n)")).isNull();
        assertThat(eval("i IN (1, 7, n)")).isEqualTo(true);
        assertThat(eval("i NOT IN (1, 2)")).isEqualTo(true);
    }

    @Test
    void stringsConcatenateAndMatch() throws Exception {
        assertThat(eval("s + ' ' + i")).isEqualTo("Hello 7");
        assertThat(eval("s || '!'")).isEqualTo("Hello!");
        assertThat(eval("s LIKE 'He%'")).isEqualTo(true);
        assertThat(eval("s LIKE 'H_llo'")).isEqualTo(true);
        assertThat(eval("s NOT LIKE '%x%'")).isEqualTo(true);
        assertThat(eval("i BETWEEN 1 AND 7")).isEqualTo(true);
        assertThat(eval("i NOT BETWEEN 1 AND 7")).isEqualTo(false);
    }

    @Test
    void castAndCase() throws Exception {
        assertThat(eval("CAST('12' AS INT)")).isEqualTo(12);
        assertThat(eval("CAST('x12' AS INT)")).isNull();
        assertThat(eval("CAST(d AS INT)")).isEqualTo(2);
        assertThat(eval("CAST(i AS STRING)")).isEqualTo("7");
        assertThat(eval("CAST('2.345' AS PRECISE(2))")).isEqualTo(new BigDecimal("2.35"));
        assertThat(eval("CAST('true' AS BOOLEAN)")).isEqualTo(true);
        assertThat(eval("CAST('1970-01-02T00:00:00Z' AS TIMESTAMP)")).isEqualTo(86_400_000L);
        assertThat(eval("CASE WHEN i > 5 THEN 'big' ELSE 'small' END")).isEqualTo("big");
        assertThat(eval("CASE i WHEN 1 THEN 'one' WHEN 7 THEN 'seven' END")).isEqualTo("seven");
        assertThat(eval("CASE WHEN n > 1 THEN 1 END")).isNull();
        assertThat(eval("CASE WHEN flag THEN 1 ELSE 2.5 END")).isEqualTo(1.0);
    }

    @Test
    void builtInFunctions() throws Exception {
        assertThat(eval("UPPER(s)")).isEqualTo("HELLO");
        assertThat(eval("LOWER(s)")).isEqualTo("hello");
        assertThat(eval("LENGTH(s)")).isEqualTo(5);
        assertThat(eval("SUBSTR(s, 2, 3)")).isEqualTo("ell");
        assertThat(eval("SUBSTR(s, -3)")).isEqualTo("llo");
        assertThat(eval("TRIM('  a ')")).isEqualTo("a");
        assertThat(eval("REPLACE(s, 'l', 'L')")).isEqualTo("HeLLo");
        assertThat(eval("REGEXP_EXTRACT('id=42;', 'id=(\\\\d+)')")).isEqualTo("42");
        assertThat(eval("COALESCE(n, i)")).isEqualTo(7);
        assertThat(eval("ABS(-3)")).isEqualTo(3);
        assertThat(eval("ROUND(2.567, 2)")).isEqualTo(2.57);
        assertThat(eval("FLOOR(d)")).isEqualTo(2.0);
        assertThat(eval("CEIL(d)")).isEqualTo(3.0);
        assertThat(eval("SQUARE(i)")).isEqualTo(49);
        assertThat(eval("SIZE(l)")).isEqualTo(2);
        assertThat(eval("INDEX(l, 1)")).isEqualTo("b");
        assertThat(eval("CONTAINS(l, 'a')")).isEqualTo(true);
        assertThat(eval("TO_LIST(1, 2)")).isEqualTo(List.of(1, 2));
        assertThat(eval("CONCAT(s, '-', i)")).isEqualTo("Hello-7");
        assertThat(eval("BIN2STR(STR2BIN(s))")).isEqualTo("Hello");
        assertThat(eval("TO_TIMESTAMP('1970-01-01 00:00:01', 'yyyy-MM-dd HH:mm:ss')")).isEqualTo(1000L);
        assertThat(eval("FORMAT_TIMESTAMP(ts, 'yyyy-MM-dd')")).isEqualTo("1970-01-02");
        assertThat(eval("JSON_VALUE('{\"a\":{\"b\":3}}', '/a/b')")).isEqualTo("3");
        assertThat(eval("EVENT_TIMESTAMP()")).isEqualTo(1234L);
        assertThat(eval("CURRENT_TIMESTAMP()")).isEqualTo(777L);
        assertThat(eval("#host")).isNull();
    }

    @Test
    void headersAreReadFromEvents() throws Exception {
        RtsqlEngine e = engine;
        StreamInput logs = e.createInputStream("logs", List.of(new Column("msg", SqlType.STRING)));
        EngineTestSupport.Collector c = new EngineTestSupport.Collector();
        StatementResult r = e.execute("SELECT msg, #region, HOST(), PRIORITY_LEVEL() FROM logs", c);
        logs.pushEvent(Event.builder().body("boom".getBytes())
                .header("region", "eu").header("host", "h1").header("priority", "WARN").header("timestamp", "5").build());
        logs.end();
        assertThat(r.flow().orElseThrow().awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(c.rows).hasSize(1);
        assertThat(c.rows.get(0).values()).containsExactly("boom", "eu", "h1", 2);
        assertThat(c.rows.get(0).eventTime()).isEqualTo(5);
    }
}
