package io.sluice.sql.crosscheck;

import io.sluice.sql.EngineOptions;
import io.sluice.sql.RtsqlEngine;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Base of the cross-check tests: an engine over a temporary directory, an H2 database, and the comparison. */
abstract class CrossCheck {
    @TempDir
    Path dir;
    RtsqlEngine engine;
    ReferenceDatabase db;

    @BeforeEach
    void openEngineAndDatabase() throws Exception {
        engine = new RtsqlEngine(EngineOptions.builder().baseDirectory(dir).build());
        db = new ReferenceDatabase();
    }

    @AfterEach
    void closeEngineAndDatabase() throws Exception {
        engine.close();
        db.close();
    }

    /**
     * Runs {@code select} on the engine (rows ending with their event time if {@code withEventTime})
     * and {@code reference} on H2, and asserts both give the same non-empty multiset of rows.
     */
    void assertEngineMatchesDatabase(String select, boolean withEventTime, String reference) throws Exception {
        List<List<Object>> actual = EngineRows.run(engine, select, withEventTime);
        List<List<Object>> expected = db.query(reference);
        assertThat(expected).as("the reference query found rows").isNotEmpty();
        assertThat(RowSets.diff(expected, actual))
                .as("engine rows differ from H2 (%d expected, %d actual)", expected.size(), actual.size()).isNull();
    }
}
