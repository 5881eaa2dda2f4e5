package io.sluice.sql.crosscheck;

import io.sluice.sql.Flow;
import io.sluice.sql.Row;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/** Runs a SELECT over finite streams to its end and returns its rows as value lists. */
final class EngineRows {
    private EngineRows() {
    }

    /** The rows of {@code select}; with {@code withEventTime} each row ends with its event time. */
    static List<List<Object>> run(RtsqlEngine engine, String select, boolean withEventTime)
            throws RtsqlException, InterruptedException {
        List<Row> rows = new CopyOnWriteArrayList<>();
        Flow flow = engine.execute(select, rows::add).flow().orElseThrow();
        assertThat(flow.awaitEnd(Duration.ofSeconds(60))).as("flow of %s ended", select).isTrue();
        assertThat(flow.state()).as("state of the flow of %s (%s)", select, flow.failure()).isEqualTo(Flow.State.FINISHED);
        assertThat(flow.counters().late()).as("late events of %s", select).isZero();
        assertThat(flow.counters().rejected()).as("rejected events of %s", select).isZero();
        List<List<Object>> out = new ArrayList<>();
        for (Row r : rows) {
            List<Object> vals = new ArrayList<>(r.values());
            if (withEventTime) {
                vals.add(r.eventTime());
            }
            out.add(vals);
        }
        return out;
    }
}
