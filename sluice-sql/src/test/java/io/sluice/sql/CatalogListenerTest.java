package io.sluice.sql;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What a metastore hears from the engine, and how it starts recorded flows again under their ids. */
class CatalogListenerTest {
    private static final class Recorder implements CatalogListener {
        final List<String> events = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void streamCreated(String name, String statement) {
            events.add("created " + name + ": " + statement);
        }

        @Override
        public void streamDropped(String name) {
            events.add("dropped " + name);
        }

        @Override
        public void flowStarted(long id, String statement) {
            events.add("started " + id + ": " + statement);
        }

        @Override
        public void flowEnded(long id, Flow.State state) {
            events.add("ended " + id + " " + state);
        }
    }

    @Test
    void statementsThatChangeTheCatalogAreReportedWithTheirText() throws Exception {
        Recorder r = new Recorder();
        try (RtsqlEngine e = new RtsqlEngine()) {
            e.addCatalogListener(r);
            e.execute("CREATE STREAM s (n BIGINT) FROM SOURCE 'seq'");
            e.execute("CREATE STREAM d AS SELECT n FROM s WHERE n > 3");
            e.createInputStream("java_fed", List.of(new Column("x", SqlType.INT)));
            Flow f = e.execute("SELECT n FROM d").flow().orElseThrow();
            e.dropFlow(f.id());
            e.execute("DROP STREAM d");
            assertThat(r.events).containsExactly(
                    "created s: CREATE STREAM s (n BIGINT) FROM SOURCE 'seq'",
                    "created d: CREATE STREAM d AS SELECT n FROM s WHERE n > 3",
                    "started 1: SELECT n FROM d",
                    "ended 1 DROPPED",
                    "dropped d");
            assertThat(e.streamStatements()).containsOnlyKeys("s");
        }
        assertThat(r.events).hasSize(5); // closing the engine does not end the flows a metastore keeps
    }

    @Test
    void aFlowCanBeStartedUnderARecordedIdAndLaterFlowsNumberOnFromIt() throws Exception {
        try (RtsqlEngine e = new RtsqlEngine()) {
            e.execute("CREATE STREAM s (n BIGINT) FROM SOURCE 'seq'");
            assertThat(e.execute("SELECT n FROM s", null, 7).flow().orElseThrow().id()).isEqualTo(7);
            assertThat(e.execute("SELECT n FROM s").flow().orElseThrow().id()).isEqualTo(8);
            assertThatThrownBy(() -> e.execute("SELECT n FROM s", null, 7)).hasMessageContaining("flow 7 already exists");
        }
    }
}
