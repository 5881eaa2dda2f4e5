package io.sluice.sql.agent;

import io.sluice.sql.Flow;
import io.sluice.sql.Row;
import io.sluice.sql.RtsqlEngine;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** An engine that was given no provider finds the agent's sources through the service loader. */
class ServiceLoadingTest {
    @Test
    void anEngineWithoutOptionsReadsAnAgentSourceType() throws Exception {
        try (RtsqlEngine engine = new RtsqlEngine()) {
            // stress is one of the agent's source types; the engine itself knows only seq and netcat
            // its bodies are random bytes (often not UTF-8), so the test counts the events that came in
            engine.execute("CREATE STREAM s (body STRING) FROM SOURCE 'stress' PROPERTIES ('maxTotalEvents' = '7', "
                    + "'size' = '3')");
            List<Row> rows = new CopyOnWriteArrayList<>();
            Flow flow = engine.execute("SELECT #nothing AS h FROM s", rows::add).flow().orElseThrow();
            assertThat(flow.awaitEnd(Duration.ofSeconds(30))).isTrue();
            assertThat(flow.counters().eventsIn()).isEqualTo(7);
        }
    }
}
