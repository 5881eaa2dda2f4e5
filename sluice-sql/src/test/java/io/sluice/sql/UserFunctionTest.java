package io.sluice.sql;

import java.time.Duration;
import java.util.List;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** User functions found through ServiceLoader (see META-INF/services in the test resources). */
class UserFunctionTest {
    @Test
    void userScalarAndAggregateFunctionsRunInQueries() throws Exception {
        try (RtsqlEngine e = new RtsqlEngine()) {
            StreamInput in = e.createInputStream("s", List.of(new Column("w", SqlType.STRING), new Column("x", SqlType.INT)));
            EngineTestSupport.Collector c = new EngineTestSupport.Collector();
            Flow f = e.execute("SELECT REVERSE(w) AS r, GEOMEAN(x) AS g FROM s GROUP BY REVERSE(w) "
                    + "OVER TUMBLING INTERVAL 1 SECONDS", c).flow().orElseThrow();
            in.push(new Object[] {"abc", 2}, 10);
            in.push(new Object[] {"abc", 8}, 20);
            in.end();
            assertThat(f.awaitEnd(Duration.ofSeconds(5))).isTrue();
            assertThat(c.rows).hasSize(1);
            assertThat(c.rows.get(0).value(0)).isEqualTo("cba");
            assertThat((Double) c.rows.get(0).value(1)).isCloseTo(4.0, Offset.offset(1e-9));
            assertThatThrownBy(() -> e.execute("SELECT REVERSE(x) FROM s")).hasMessageContaining("REVERSE takes one STRING");
        }
    }
}
