package io.sluice.sql.cases;

import io.sluice.api.Event;
import io.sluice.sql.Column;
import io.sluice.sql.EngineOptions;
import io.sluice.sql.Flow;
import io.sluice.sql.OutputFormat;
import io.sluice.sql.Row;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import io.sluice.sql.SqlType;
import io.sluice.sql.StreamInput;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Cases that need events with headers or a stream that stays open, which files cannot give: events
 * pushed through {@link RtsqlEngine#createInputStream}. Expected values worked out from docs/rtsql.md.
 */
class InputStreamCasesTest {
    private RtsqlEngine engine;
    private StreamInput in;

    @BeforeEach
    void setUp() throws Exception {
        engine = new RtsqlEngine(EngineOptions.builder()
                .clock(Clock.fixed(Instant.ofEpochMilli(CaseRunner.CLOCK_MILLIS), ZoneOffset.UTC)).build());
        in = engine.createInputStream("ev", List.of(new Column("user", SqlType.STRING), new Column("n", SqlType.INT)),
                "delimited", Map.of());
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    private List<String> csv(Flow flow, List<Row> rows) throws InterruptedException {
        assertThat(flow.awaitEnd(Duration.ofSeconds(20))).isTrue();
        List<String> out = new CopyOnWriteArrayList<>();
        out.add(OutputFormat.CSV.header(flow.columns()));
        for (Row r : rows) {
            out.add(OutputFormat.CSV.format(flow.columns(), r));
        }
        return out;
    }

    @Test
    void hashNameReadsAnEventHeaderAndIsNullWithoutIt() throws Exception {
        List<Row> rows = new CopyOnWriteArrayList<>();
        Flow f = engine.execute("SELECT user, #host AS h, UPPER(#host) AS uh, #host IS NULL AS missing FROM ev",
                rows::add).flow().orElseThrow();
        in.pushEvent(Event.builder().header("host", "web-1").body("alice,1").build());
        in.pushEvent(Event.ofString("bob,2"));
        in.end();
        assertThat(csv(f, rows)).containsExactly("user,h,uh,missing", "alice,web-1,WEB-1,false", "bob,,,true");
    }

    @Test
    void theTimestampHeaderIsTheEventTimeWithoutATimestampColumn() throws Exception {
        List<Row> rows = new CopyOnWriteArrayList<>();
        Flow f = engine.execute("SELECT user, EVENT_TIMESTAMP() AS et FROM ev", rows::add).flow().orElseThrow();
        in.pushEvent(Event.builder().header("timestamp", "5000").body("alice,1").build());
        in.pushEvent(Event.ofString("bob,2"));
        in.end();
        assertThat(csv(f, rows)).containsExactly("user,et", "alice,5000", "bob," + CaseRunner.CLOCK_MILLIS);
    }

    @Test
    void anEventBodyThatIsNotUtf8IsRejectedNotReplaced() throws Exception {
        List<Row> rows = new CopyOnWriteArrayList<>();
        Flow f = engine.execute("SELECT user, n FROM ev", rows::add).flow().orElseThrow();
        in.pushEvent(Event.builder().body(new byte[] {'a', (byte) 0xFF, ',', '1'}).build());
        in.pushEvent(Event.ofString("bob,2"));
        in.end();
        assertThat(csv(f, rows)).containsExactly("user,n", "bob,2");
        assertThat(f.counters().rejected()).isEqualTo(1);
        assertThat(f.rejectedEvents().get(0).reason()).contains("not valid UTF-8");
    }

    @Test
    void aStreamOfOneBinaryColumnTakesBodiesThatAreNotText() throws Exception {
        StreamInput raw = engine.createInputStream("raw", List.of(new Column("b", SqlType.BINARY)), "delimited", Map.of());
        List<Row> rows = new CopyOnWriteArrayList<>();
        Flow f = engine.execute("SELECT LENGTH(b) AS n FROM raw", rows::add).flow().orElseThrow();
        raw.pushEvent(Event.builder().body(new byte[] {(byte) 0xFF, ',', 0, (byte) 0xC0}).build());
        raw.end();
        assertThat(csv(f, rows)).containsExactly("n", "4");
        assertThat(f.counters().rejected()).isZero();
    }

    @Test
    void aTimestampHeaderThatIsNotANumberRejectsTheEventAndLongBodiesAreKeptAsAnExcerpt() throws Exception {
        List<Row> rows = new CopyOnWriteArrayList<>();
        Flow f = engine.execute("SELECT user, EVENT_TIMESTAMP() AS et FROM ev", rows::add).flow().orElseThrow();
        in.pushEvent(Event.builder().header("timestamp", "yesterday").body("alice,1").build());
        in.pushEvent(Event.builder().header("timestamp", "5000").body("bob,2").build());
        in.pushEvent(Event.builder().body("carol," + "9".repeat(100_000)).build()); // n overflows INT: NULL, kept
        byte[] big = new byte[100_001];
        Arrays.fill(big, (byte) 'y');
        big[100_000] = (byte) 0xFF; // not UTF-8: rejected
        in.pushEvent(Event.builder().body(big).build());
        in.end();
        assertThat(csv(f, rows)).contains("bob,5000");
        assertThat(f.rejectedEvents()).first().satisfies(r -> assertThat(r.reason()).contains("'timestamp' header"));
        assertThat(f.counters().rejected()).isEqualTo(2);
        assertThat(f.rejectedEvents()).allSatisfy(r -> assertThat(r.raw().length()).isLessThanOrEqualTo(210));
    }

    @Test
    void headersFilterAndGroup() throws Exception {
        List<Row> rows = new CopyOnWriteArrayList<>();
        Flow f = engine.execute("SELECT #dc AS dc, COUNT(*) AS c, SUM(n) AS s FROM ev WHERE #dc IS NOT NULL"
                + " GROUP BY #dc OVER TUMBLING INTERVAL 1 SECOND", rows::add).flow().orElseThrow();
        for (String[] e : new String[][] {{"eu", "a,1", "1000"}, {"us", "b,2", "1100"}, {null, "c,4", "1200"},
                {"eu", "d,8", "1300"}}) {
            Event.Builder b = Event.builder().header("timestamp", e[2]).body(e[1]);
            if (e[0] != null) {
                b.header("dc", e[0]);
            }
            in.pushEvent(b.build());
        }
        in.end();
        assertThat(csv(f, rows)).containsExactlyInAnyOrder("dc,c,s", "eu,2,9", "us,1,2");
    }

    @Test
    void dropStreamIsRefusedWhileARunningFlowReadsIt() throws Exception {
        Flow f = engine.execute("SELECT user FROM ev").flow().orElseThrow();
        assertThat(f.state()).isEqualTo(Flow.State.RUNNING);
        assertThatThrownBy(() -> engine.execute("DROP STREAM ev")).isInstanceOf(RtsqlException.class)
                .hasMessageContaining("ev");
        engine.dropFlow(f.id());
        assertThat(f.awaitEnd(Duration.ofSeconds(20))).isTrue();
        assertThat(f.state()).isEqualTo(Flow.State.DROPPED);
        engine.execute("DROP STREAM ev");
        assertThat(engine.execute("SHOW STREAMS").rows()).noneMatch(r -> r.contains("ev"));
    }

    @Test
    void aBadStatementLeavesRunningFlowsAlone() throws Exception {
        List<Row> rows = new CopyOnWriteArrayList<>();
        Flow f = engine.execute("SELECT user, n FROM ev WHERE n > 1", rows::add).flow().orElseThrow();
        in.push(new Object[] {"a", 1}, 1000);
        assertThatThrownBy(() -> engine.execute("SELECT nope FROM ev")).isInstanceOf(RtsqlException.class);
        assertThatThrownBy(() -> engine.execute("SELEC")).isInstanceOf(RtsqlException.class);
        in.push(new Object[] {"b", 2}, 1001);
        in.end();
        assertThat(csv(f, rows)).containsExactly("user,n", "b,2");
        assertThat(f.state()).isEqualTo(Flow.State.FINISHED);
    }

    @Test
    void showFlowsAndCountersFollowARunningFlow() throws Exception {
        Flow f = engine.execute("SELECT user FROM ev WHERE n > 1").flow().orElseThrow();
        in.push(new Object[] {"a", 1}, 1000);
        in.push(new Object[] {"b", 2}, 1001);
        in.pushEvent(Event.ofString("c,3"));
        assertThat(f.counters().eventsIn()).isEqualTo(3);
        assertThat(f.counters().rowsOut()).isEqualTo(2);
        String shown = engine.execute("SHOW FLOWS").rows().toString();
        assertThat(shown).contains(String.valueOf(f.id())).contains("RUNNING");
        engine.execute("DROP FLOW " + f.id());
        assertThat(f.awaitEnd(Duration.ofSeconds(20))).isTrue();
        assertThat(engine.execute("SHOW FLOWS").rows().toString()).contains("DROPPED");
    }
}
