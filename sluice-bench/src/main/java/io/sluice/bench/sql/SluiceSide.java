package io.sluice.bench.sql;

import io.sluice.sql.Column;
import io.sluice.sql.EngineOptions;
import io.sluice.sql.Flow;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.SqlType;
import io.sluice.sql.StreamInput;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Sluice side: a fresh {@link RtsqlEngine} per run, the workload pushed as pre-built rows into
 * in-process input streams on the calling thread, output rows counted by a listener. The measured
 * time runs from the first push until the flow has ended (its last windows emitted). Not thread-safe.
 */
final class SluiceSide {
    static final String TUMBLING = "SELECT key, COUNT(*) AS n, SUM(value) AS s, AVG(value) AS a, MIN(value) AS mn,"
            + " MAX(value) AS mx FROM ev GROUP BY key OVER TUMBLING INTERVAL 1 SECOND";
    static final String JOIN = "SELECT l.key AS k, l.value AS lv, r.value AS rv FROM l JOIN r ON l.key = r.key"
            + " OVER RANGE BETWEEN INTERVAL 100 MILLISECONDS PRECEDING AND INTERVAL 100 MILLISECONDS FOLLOWING";
    static final List<Column> COLUMNS = List.of(new Column("key", SqlType.STRING), new Column("value", SqlType.INT),
            new Column("payload", SqlType.STRING));

    private SluiceSide() {
    }

    /** The rows handed to {@link StreamInput#push}: one {@code Object[]} per event, built before timing. */
    static Object[][] rows(Workload w) {
        Object[][] rows = new Object[w.events.length][];
        for (int i = 0; i < rows.length; i++) {
            BenchEvent e = w.events[i];
            rows[i] = new Object[] {e.getKey(), e.getValue(), e.getPayload()};
        }
        return rows;
    }

    /** Runs {@code query} over {@code w}; returns {events, output rows, nanos}. */
    static long[] run(String query, Workload w, Object[][] rows, boolean join) throws Exception {
        return run(query, w, rows, join, null);
    }

    /** As {@link #run(String, Workload, Object[][], boolean)}, handing each output row's values to {@code each}. */
    static long[] run(String query, Workload w, Object[][] rows, boolean join, Consumer<List<Object>> each)
            throws Exception {
        try (RtsqlEngine engine = new RtsqlEngine(EngineOptions.defaults())) {
            StreamInput a = engine.createInputStream(join ? "l" : "ev", COLUMNS);
            StreamInput b = join ? engine.createInputStream("r", COLUMNS) : null;
            long[] out = new long[1];
            Flow flow = engine.execute(query, row -> {
                out[0]++;
                if (each != null) {
                    each.accept(row.values());
                }
            }).flow().orElseThrow();
            BenchEvent[] ev = w.events;
            long start = System.nanoTime();
            if (join) {
                for (int i = 0; i < ev.length; i++) {
                    (ev[i] instanceof BenchEvent.Left ? a : b).push(rows[i], ev[i].getTs());
                }
                a.end();
                b.end();
            } else {
                for (int i = 0; i < ev.length; i++) {
                    a.push(rows[i], ev[i].getTs());
                }
                a.end();
            }
            if (!flow.awaitEnd(Duration.ofMinutes(5))) {
                throw new IllegalStateException("the Sluice flow did not end");
            }
            long nanos = System.nanoTime() - start;
            if (flow.state() != Flow.State.FINISHED) {
                throw new IllegalStateException("the Sluice flow ended " + flow.state() + ": " + flow.failure());
            }
            return new long[] {ev.length, out[0], nanos};
        }
    }
}
