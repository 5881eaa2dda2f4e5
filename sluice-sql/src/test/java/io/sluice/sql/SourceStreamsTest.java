package io.sluice.sql;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

import static io.sluice.sql.EngineTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** FROM SOURCE streams: the built-in seq source over real threads, and what a bare engine says of the others. */
class SourceStreamsTest {
    @Test
    void finiteSeqSourceRunsEachFlowFromItsStart() throws Exception {
        Clock clock = Clock.fixed(Instant.ofEpochMilli(5_000), ZoneOffset.UTC);
        try (RtsqlEngine e = new RtsqlEngine(EngineOptions.builder().clock(clock).build())) {
            e.execute("CREATE STREAM nums (n BIGINT NOT NULL) FROM SOURCE 'seq' PROPERTIES ('totalEvents' = '100')");
            String q = "SELECT COUNT(*) AS c, SUM(n) AS s, MAX(n) AS m FROM nums OVER TUMBLING INTERVAL 1 MINUTES";
            assertThat(run(e, q)).containsExactly("c,s,m", "100,4950,99");
            assertThat(run(e, q)).containsExactly("c,s,m", "100,4950,99");
            e.execute("CREATE STREAM bad (n INT) FROM SOURCE 'seq' PROPERTIES ('total' = '1')");
            assertThatThrownBy(() -> e.execute("SELECT n FROM bad")).hasMessageContaining("source 'seq' has no property 'total'");
        }
    }

    @Test
    void anEndlessSourceStopsWhenItsLastFlowIsDropped() throws Exception {
        try (RtsqlEngine e = new RtsqlEngine()) {
            e.execute("CREATE STREAM forever (n BIGINT) FROM SOURCE 'seq'");
            Flow a = e.execute("SELECT n FROM forever WHERE n < 0").flow().orElseThrow();
            Flow b = e.execute("SELECT n FROM forever WHERE n < 0").flow().orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> a.counters().eventsIn() > 0 && seqThreads() == 1);
            e.dropFlow(a.id());
            long seen = b.counters().eventsIn();
            await().atMost(Duration.ofSeconds(10)).until(() -> b.counters().eventsIn() > seen); // b still reads
            e.dropFlow(b.id());
            await().atMost(Duration.ofSeconds(10)).until(() -> seqThreads() == 0);
            Flow c = e.execute("SELECT n FROM forever WHERE n < 0").flow().orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> c.counters().eventsIn() > 0);
        }
    }

    private static long seqThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("rtsql-source-seq") && t.isAlive()).count();
    }

    /**
     * The engine has no netcat of its own: {@code FROM SOURCE 'netcat'} is the agent's netcat source,
     * which sluice-sql-agent provides (its ServiceLoadingTest runs it). Without that module on the class
     * path the statement still parses and declares, and the SELECT says which module is missing.
     */
    @Test
    void withoutTheAgentModuleANetcatStreamNamesTheModuleToAdd() throws Exception {
        try (RtsqlEngine e = new RtsqlEngine()) {
            e.execute("CREATE STREAM lines (word STRING, n INT) FROM SOURCE 'netcat' PROPERTIES ('port' = '44444')");
            assertThatThrownBy(() -> e.execute("SELECT word FROM lines"))
                    .hasMessageContaining("no event source of type 'netcat' is installed")
                    .hasMessageContaining("sluice-sql-agent module");
        }
    }
}
