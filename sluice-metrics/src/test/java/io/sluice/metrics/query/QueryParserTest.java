package io.sluice.metrics.query;

import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParserTest {
    @Test
    void parsesSelectorsFunctionsReductionsAndArithmetic() {
        Expr e = QueryParser.parse("sum by (rack) (rate(req_total{dc=\"jb\",host=~\"web.*\",env!=\"test\"})) / 2");
        assertThat(e).isInstanceOf(Expr.Binary.class);
        Expr.Binary b = (Expr.Binary) e;
        Expr.Aggregate a = (Expr.Aggregate) b.left();
        assertThat(a.op()).isEqualTo("sum");
        assertThat(a.by()).containsExactly("rack");
        Expr.Selector s = (Expr.Selector) ((Expr.Function) a.arg()).arg();
        assertThat(s.matchers()).extracting(Expr.Matcher::op).containsExactly("=", "=~", "!=");
        assertThat(QueryParser.parse("avg(temp) by (rack)")).isEqualTo(new Expr.Aggregate("avg", List.of("rack"),
                new Expr.Selector("temp", List.of())));
        Expr.Binary on = (Expr.Binary) QueryParser.parse("disk_free / on(host, volume) disk_size");
        assertThat(on.on()).containsExactly("host", "volume");
        Expr.Binary prec = (Expr.Binary) QueryParser.parse("a + b * c");
        assertThat(prec.op()).isEqualTo('+');
    }

    @Test
    void errorsSayWhereAndWhatWasExpected() {
        assertThatThrownBy(() -> QueryParser.parse("temp{dc=jb}")).hasMessage("column 9: expected a quoted value");
        assertThatThrownBy(() -> QueryParser.parse("median(temp)")).hasMessage(
                "column 1: unknown function 'median'; known: delta, rate, moving_avg, fill, map, sum, avg, min, max, count"
                        + " (rtsql functions run through map(median, x))");
        assertThatThrownBy(() -> QueryParser.parse("moving_avg(temp)")).hasMessageContaining("whole number");
        assertThatThrownBy(() -> QueryParser.parse("temp{host=~\"(\"}")).hasMessageContaining(
                "is not a regular expression");
        assertThatThrownBy(() -> QueryParser.parse(" ")).hasMessageContaining("empty");
    }
}
