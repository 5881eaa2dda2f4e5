package io.sluice.sql;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Helpers for engine tests: run a script over files and collect the last SELECT's rows as CSV. */
final class EngineTestSupport {
    private EngineTestSupport() {
    }

    /** Collects rows; thread-safe. */
    static final class Collector implements RowListener {
        final List<Row> rows = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onRow(Row row) {
            rows.add(row);
        }
    }

    static void write(Path dir, String name, String... lines) throws IOException {
        Files.write(dir.resolve(name), List.of(lines));
    }

    /** Runs every statement; returns the CSV lines (with header) of the last SELECT's finished flow. */
    static List<String> run(RtsqlEngine engine, String script) throws Exception {
        List<String> out = new ArrayList<>();
        for (String st : RtsqlEngine.splitStatements(script)) {
            Collector c = new Collector();
            StatementResult r = engine.execute(st, c);
            if (r.flow().isPresent()) {
                Flow f = r.flow().get();
                assertThat(f.awaitEnd(Duration.ofSeconds(30))).as("flow ended").isTrue();
                assertThat(f.failure()).isEmpty();
                out.clear();
                out.add(OutputFormat.CSV.header(f.columns()));
                for (Row row : c.rows) {
                    out.add(OutputFormat.CSV.format(f.columns(), row));
                }
            }
        }
        return out;
    }
}
