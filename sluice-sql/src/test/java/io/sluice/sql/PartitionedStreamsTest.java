package io.sluice.sql;

import io.sluice.api.Event;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * KAFKA streams as the engine sees them: a partitioned source (a hand-written one here; the real
 * Kafka reader lives in sluice-sql-kafka) whose partitions keep their own watermark and window
 * state, report how far they have been emitted, and can be revoked or resumed.
 */
class PartitionedStreamsTest {
    /** A KAFKA provider that hands its sink to the test, which then plays the consumer. */
    static final class HandFedProvider implements EventSourceProvider {
        final AtomicReference<EventSink> sink = new AtomicReference<>();

        @Override
        public boolean supports(String kind, String target) {
            return kind.equals("KAFKA");
        }

        @Override
        public List<String> check(String kind, String target, Map<String, String> properties) {
            return properties.containsKey("bootstrap.servers") ? List.of()
                    : List.of("KAFKA TOPIC '" + target + "': 'bootstrap.servers' is missing");
        }

        @Override
        public AutoCloseable open(String kind, String target, Map<String, String> properties, EventSink s) {
            sink.set(s);
            return () -> sink.set(null);
        }

        long send(int partition, String body, long time) {
            return sink.get().accept(Event.of(Map.of("timestamp", Long.toString(time)),
                    body.getBytes(StandardCharsets.UTF_8)), partition);
        }
    }

    private static final String STREAM = "CREATE STREAM clicks (user STRING, n INT) FROM KAFKA TOPIC 'clicks'"
            + " PROPERTIES ('bootstrap.servers' = '127.0.0.1:1')";
    private static final String PER_USER = "SELECT user, WINDOW_START() AS ws, COUNT(*) AS c, SUM(n) AS s FROM clicks"
            + " GROUP BY user OVER TUMBLING INTERVAL 10 SECONDS";

    private static RtsqlEngine engine(HandFedProvider p) {
        return new RtsqlEngine(EngineOptions.builder().eventSource(p).build());
    }

    private static List<String> rows(EngineTestSupport.Collector c) {
        synchronized (c.rows) {
            return c.rows.stream().map(r -> r.value(0) + ":" + r.value(1) + ":" + r.value(2) + ":" + r.value(3)).toList();
        }
    }

    @Test
    void eachPartitionHasItsOwnWatermarkAndWindows() throws Exception {
        HandFedProvider p = new HandFedProvider();
        try (RtsqlEngine e = engine(p)) {
            e.execute(STREAM);
            EngineTestSupport.Collector c = new EngineTestSupport.Collector();
            e.execute(PER_USER, c);
            await().atMost(Duration.ofSeconds(10)).until(() -> p.sink.get() != null);
            assertThat(p.send(0, "ann,1", 1_000)).isEqualTo(1_000);
            p.send(1, "bob,2", 2_000);
            p.send(1, "bob,3", 9_000);
            // partition 0 moves far on: only its own window closes; bob's window in partition 1 stays open
            p.send(0, "ann,4", 25_000);
            assertThat(rows(c)).containsExactly("ann:0:1:1");
            assertThat(p.sink.get().progress(1)).isEqualTo(new EventSourceProvider.Progress(0, 9_000 - 200));
            assertThat(p.sink.get().progress(0)).isEqualTo(new EventSourceProvider.Progress(20_000, 25_000 - 200));
            p.send(1, "bob,5", 10_300);
            assertThat(rows(c)).containsExactly("ann:0:1:1", "bob:0:2:5");
            assertThat(p.sink.get().progress(1).heldFrom()).isEqualTo(10_000);
            assertThat(p.sink.get().progress(7)).isEqualTo(EventSourceProvider.Progress.NONE);
            assertThat(p.send(0, "not a number,x", 26_000)).isEqualTo(26_000); // a NULL n is a row too
            assertThat(p.send(0, "ann,1", Long.MAX_VALUE / 2)).isEqualTo(Long.MIN_VALUE); // out of range: rejected
        }
    }

    @Test
    void aRevokedPartitionEmitsNothingAndAResumedOneSkipsWindowsEmittedElsewhere() throws Exception {
        HandFedProvider p = new HandFedProvider();
        try (RtsqlEngine e = engine(p)) {
            e.execute(STREAM);
            EngineTestSupport.Collector c = new EngineTestSupport.Collector();
            Flow f = e.execute(PER_USER, c).flow().orElseThrow();
            await().atMost(Duration.ofSeconds(10)).until(() -> p.sink.get() != null);
            p.send(0, "ann,1", 1_000);
            p.send(0, "ann,2", 5_000);
            p.sink.get().revoke(0);
            assertThat(p.sink.get().progress(0)).isEqualTo(EventSourceProvider.Progress.NONE);
            p.send(0, "ann,10", 30_000); // a fresh copy of partition 0: the revoked window is gone, not emitted
            assertThat(rows(c)).isEmpty();

            // another engine emitted every window ending at or before 20,000 of partition 3: resume there
            p.sink.get().resume(3, 20_000);
            p.send(3, "cy,1", 15_000); // re-read, its window [10 s, 20 s) was emitted elsewhere: late, not emitted again
            p.send(3, "cy,2", 21_000);
            p.send(3, "cy,3", 29_000);
            p.send(3, "cy,4", 40_000);
            assertThat(rows(c)).containsExactly("cy:20000:2:5");
            assertThat(f.counters().late()).isEqualTo(1);
        }
    }

    @Test
    void aKafkaStreamIsReadByOneFlowThatReadsNothingElse() throws Exception {
        HandFedProvider p = new HandFedProvider();
        try (RtsqlEngine e = engine(p)) {
            assertThatThrownBy(() -> e.execute("CREATE STREAM k (a INT) FROM KAFKA TOPIC 't'"))
                    .hasMessageContaining("'bootstrap.servers' is missing");
            e.execute(STREAM);
            e.execute("CREATE STREAM other (user STRING, m INT) FROM KAFKA TOPIC 'other'"
                    + " PROPERTIES ('bootstrap.servers' = '127.0.0.1:1')");
            assertThatThrownBy(() -> e.execute("SELECT * FROM clicks JOIN other ON clicks.user = other.user"
                    + " OVER RANGE INTERVAL 1 SECONDS PRECEDING"))
                    .hasMessageContaining("may read no other stream");
            Flow f = e.execute("SELECT user FROM clicks").flow().orElseThrow();
            assertThatThrownBy(() -> e.execute("SELECT n FROM clicks"))
                    .hasMessageContaining("a running flow already reads it");
            e.dropFlow(f.id());
            e.execute("SELECT n FROM clicks");
            assertThat(e.execute("DESCRIBE clicks").message()).contains("KAFKA TOPIC 'clicks'");
        }
    }

    @Test
    void aGroupByThatMaySpanPartitionsIsWarnedAbout() throws Exception {
        HandFedProvider p = new HandFedProvider();
        try (RtsqlEngine e = engine(p)) {
            e.execute(STREAM);
            e.execute("CREATE STREAM keyed (user STRING, n INT) FROM KAFKA TOPIC 'clicks'"
                    + " PROPERTIES ('bootstrap.servers' = '127.0.0.1:1', 'key.columns' = 'user')");
            String byN = "SELECT n, COUNT(*) FROM clicks GROUP BY n OVER TUMBLING INTERVAL 1 SECONDS";
            Flow f = e.execute(byN).flow().orElseThrow();
            assertThat(f.warnings()).singleElement().asString().contains("GROUP BY includes neither #key nor a column"
                    + " named in its 'key.columns' property (none given)");
            e.dropFlow(f.id());
            StatementResult byKey = e.execute("SELECT #key, COUNT(*) FROM clicks GROUP BY #key OVER TUMBLING INTERVAL 1 SECONDS");
            assertThat(byKey.message()).doesNotContain("warning");
            e.dropFlow(byKey.flow().orElseThrow().id());
            Flow perUser = e.execute(PER_USER.replace("clicks", "keyed")).flow().orElseThrow();
            assertThat(perUser.warnings()).isEmpty();
            e.dropFlow(perUser.id());
            assertThat(e.execute(byN.replace("clicks", "keyed")).message()).contains("(warning: the windows over KAFKA"
                    + " stream 'keyed' are kept per partition").contains("[user]");
        }
    }

    @Test
    void withoutAKafkaReaderTheFlowSaysWhichModuleToAdd() throws Exception {
        try (RtsqlEngine e = new RtsqlEngine()) {
            e.execute("CREATE STREAM t (topic STRING) FROM KAFKA TOPIC 'topic' PROPERTIES ('a' = 'b')");
            assertThatThrownBy(() -> e.execute("SELECT topic FROM t")).hasMessageContaining("sluice-sql-kafka");
        }
    }
}
