package io.sluice.sql;

import io.sluice.sql.expr.MapValues;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class OutputFormatTest {
    private static final List<Column> COLS = List.of(new Column("s", SqlType.STRING), new Column("ts", SqlType.TIMESTAMP),
            new Column("b", SqlType.BOOLEAN), new Column("d", SqlType.DOUBLE), new Column("p", SqlType.precise(2)),
            new Column("l", SqlType.list(SqlType.INT)), new Column("n", SqlType.INT));
    private static final Row ROW = Row.of(0, "a,\"b\"", 1_795_262_400_000L, true, 0.1, new BigDecimal("1.50"),
            List.of(1, 2), null);

    @Test
    void csvQuotesAndLeavesNullEmpty() {
        assertThat(OutputFormat.CSV.header(COLS)).isEqualTo("s,ts,b,d,p,l,n");
        assertThat(OutputFormat.CSV.format(COLS, ROW)).isEqualTo("\"a,\"\"b\"\"\",1795262400000,true,0.1,1.50,1|2,");
    }

    @Test
    void tsvEscapesTabs() {
        assertThat(OutputFormat.TSV.format(COLS, Row.of(0, "a\tb", null, false, 1e20, null, List.of(), 3)))
                .isEqualTo("a\\tb\t\tfalse\t1.0E20\t\t\t3");
    }

    @Test
    void jsonIsOneObjectPerRow() {
        assertThat(OutputFormat.JSON.header(COLS)).isNull();
        assertThat(OutputFormat.JSON.format(COLS, ROW))
                .isEqualTo("{\"s\":\"a,\\\"b\\\"\",\"ts\":1795262400000,\"b\":true,\"d\":0.1,\"p\":1.50,\"l\":[1,2],\"n\":null}");
    }

    @Test
    void mapIsAJsonObjectInJsonAndItsTextElsewhere() {
        List<Column> cols = List.of(new Column("labels", SqlType.map(SqlType.STRING, SqlType.STRING)),
                new Column("v", SqlType.map(SqlType.STRING, SqlType.DOUBLE)));
        Row row = Row.of(0, MapValues.of(Map.of("rack", "r\"1", "dc", "jb"), SqlType.map(SqlType.STRING, SqlType.STRING)),
                MapValues.of(Map.of("x", Double.NaN), SqlType.map(SqlType.STRING, SqlType.DOUBLE)));
        assertThat(OutputFormat.JSON.format(cols, row))
                .isEqualTo("{\"labels\":{\"dc\":\"jb\",\"rack\":\"r\\\"1\"},\"v\":{\"x\":\"NaN\"}}");
        assertThat(OutputFormat.CSV.format(cols, row))
                .isEqualTo("\"{\"\"dc\"\":\"\"jb\"\",\"\"rack\"\":\"\"r\\\"\"1\"\"}\",\"{\"\"x\"\":\"\"NaN\"\"}\"");
        assertThat(OutputFormat.TABLE.format(cols, row)).contains("{\"dc\":\"jb\"");
    }

    @Test
    void tableShowsTimestampsInUtc() {
        String line = OutputFormat.TABLE.format(COLS, ROW);
        assertThat(line).contains("2026-11-21 12:00:00.000").contains("NULL").contains("[1|2]");
        assertThat(OutputFormat.TABLE.header(COLS)).startsWith(" s            | ts ");
    }

    @Test
    void tableCutsLongTextAndAlignsWideCharacters() {
        List<Column> cols = List.of(new Column("name", SqlType.STRING), new Column("n", SqlType.BIGINT));
        String header = OutputFormat.TABLE.header(cols);
        String wide = OutputFormat.TABLE.format(cols, Row.of(0, "東京😀", 1L));
        String longText = OutputFormat.TABLE.format(cols, Row.of(0, "x".repeat(100) + "\nmore", 9_223_372_036_854_775_807L));
        String plain = OutputFormat.TABLE.format(cols, Row.of(0, "ab\tc", 2L));
        // every line puts its '|' in the same terminal column, whatever the characters
        int bar = DisplayWidth.of(header.substring(0, header.indexOf('|')));
        for (String line : List.of(wide, longText, plain)) {
            assertThat(DisplayWidth.of(line.substring(0, line.indexOf('|')))).as(line).isEqualTo(bar);
        }
        assertThat(longText).contains("x…").doesNotContain("more").contains("9223372036854775807");
        assertThat(plain).contains("ab\\tc");
        assertThat(DisplayWidth.of("東京😀")).isEqualTo(6);
        assertThat(DisplayWidth.of("e\u0301")).isEqualTo(1);
    }
}
