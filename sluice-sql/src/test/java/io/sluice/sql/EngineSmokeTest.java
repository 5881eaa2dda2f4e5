package io.sluice.sql;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.sluice.sql.EngineTestSupport.run;
import static io.sluice.sql.EngineTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;

class EngineSmokeTest {
    @TempDir
    Path dir;

    @Test
    void tumblingAggregateOverFile() throws Exception {
        write(dir, "clicks.csv",
                "1000,alice,/home,10",
                "1500,bob,/home,20",
                "2500,alice,/cart,30",
                "61000,bob,/home,40");
        try (RtsqlEngine e = new RtsqlEngine(EngineOptions.builder().baseDirectory(dir).build())) {
            List<String> out = run(e, """
                    CREATE STREAM clicks (ts TIMESTAMP, user STRING, page STRING, ms INT)
                      FROM LOCAL FILE 'clicks.csv' EVENT FORMAT 'delimited' PROPERTIES ('timestamp.col' = 'ts');
                    SELECT page, COUNT(*) AS hits, AVG(ms) AS avg_ms, WINDOW_START() AS ws
                      FROM clicks GROUP BY page OVER TUMBLING INTERVAL 1 MINUTES;
                    """);
            assertThat(out).containsExactly("page,hits,avg_ms,ws", "/cart,1,30.0,0", "/home,2,15.0,0", "/home,1,40.0,60000");
        }
    }
}
