package io.sluice.sql;

import io.sluice.api.Event;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.sluice.sql.EngineTestSupport.run;
import static io.sluice.sql.EngineTestSupport.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The statements other than SELECT, and the life cycle of flows and streams. */
class StatementsTest {
    @TempDir
    Path dir;
    private RtsqlEngine engine;

    @BeforeEach
    void setUp() throws Exception {
        engine = new RtsqlEngine(EngineOptions.builder().baseDirectory(dir).build());
        write(dir, "c.csv", "1000,a,1", "2000,b,2", "3000,a,3");
        engine.execute("CREATE STREAM clicks (ts TIMESTAMP, u STRING, n INT) FROM LOCAL FILE 'c.csv' "
                + "PROPERTIES ('timestamp.col' = 'ts')");
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void showAndDescribeListWhatExists() throws Exception {
        StatementResult streams = engine.execute("SHOW STREAMS");
        assertThat(streams.rows()).hasSize(1);
        assertThat(streams.rows().get(0).get(0)).isEqualTo("clicks");
        StatementResult d = engine.execute("DESCRIBE clicks");
        assertThat(d.rows()).containsExactly(List.of("ts", "TIMESTAMP"), List.of("u", "STRING"), List.of("n", "INT"));
        assertThat(engine.execute("DESCRIBE upper").rows().get(0).get(1)).isEqualTo("UPPER(STRING) -> STRING");
        assertThat(engine.execute("SHOW FUNCTIONS").rows()).extracting(r -> r.get(0))
                .contains("COUNT", "AVG", "WINDOW_START", "JSON_VALUE", "REVERSE", "GEOMEAN");
        assertThatThrownBy(() -> engine.execute("DESCRIBE clics")).hasMessageContaining("(did you mean 'clicks'?)");
    }

    @Test
    void flowsAreListedWithCountersAndCanBeDropped() throws Exception {
        StreamInput in = engine.createInputStream("live", List.of(new Column("x", SqlType.INT)));
        StatementResult r = engine.execute("SELECT x FROM live WHERE x > 1");
        assertThat(r.message()).isEqualTo("Started flow 1");
        in.push(new Object[] {1}, 0);
        in.push(new Object[] {2}, 0);
        List<List<Object>> flows = engine.execute("SHOW FLOWS").rows();
        assertThat(flows.get(0)).containsExactly(1L, "RUNNING", 2L, 1L, 0L, 0L, "SELECT x FROM live WHERE x > 1", "");
        assertThatThrownBy(() -> engine.execute("DROP STREAM live"))
                .hasMessage("line 1:13: stream 'live' is read by running flow [1]; DROP FLOW 1 first");
        assertThat(engine.execute("DROP FLOW 1").message()).isEqualTo("Flow 1 dropped");
        assertThat(engine.flow(1).orElseThrow().state()).isEqualTo(Flow.State.DROPPED);
        assertThat(engine.execute("DROP STREAM live").message()).isEqualTo("Stream live dropped");
        assertThatThrownBy(() -> engine.execute("DROP FLOW 7")).hasMessageContaining("flow 7 does not exist");
    }

    @Test
    void setChecksKnownKeys() throws Exception {
        assertThat(engine.execute("SET 'rtsql.slack.time' = '500'").message()).isEqualTo("Set rtsql.slack.time = 500");
        assertThat(engine.setting("rtsql.slack.time")).isEqualTo("500");
        assertThatThrownBy(() -> engine.execute("SET 'rtsql.slak.time' = '1'")).hasMessageContaining("did you mean 'rtsql.slack.time'");
        assertThatThrownBy(() -> engine.execute("SET 'rtsql.slack.time' = '-1'")).hasMessageContaining("expected: >= 0");
    }

    @Test
    void explainShowsParseTreeAndPlanWithoutRunning() throws Exception {
        StatementResult r = engine.execute("EXPLAIN SELECT u, SUM(n) FROM clicks WHERE n > 0 GROUP BY u OVER TUMBLING INTERVAL 1 SECONDS");
        List<String> lines = r.rows().stream().map(x -> (String) x.get(0)).toList();
        assertThat(lines.get(0)).startsWith("Parse tree: (singleStatement");
        assertThat(lines).contains("  Project[u, SUM(n)]", "    WindowAggregate[TUMBLING 1000 ms; keys [u]; aggregates [SUM(n)]]",
                "      Filter[(n > 0)]", "        Scan[clicks: FILE 'c.csv' FORMAT 'delimited']");
        assertThat(engine.flows()).isEmpty();
    }

    @Test
    void derivedStreamsAreReadByOtherQueriesAndTappedAsAvro() throws Exception {
        assertThat(engine.execute("CREATE STREAM big AS SELECT u, n * 10 AS n10 FROM clicks WHERE n >= 2").message())
                .isEqualTo("Stream big created");
        assertThat(run(engine, "SELECT u, n10 FROM big")).containsExactly("u,n10", "b,20", "a,30");
        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        Flow tap = engine.tapStream("big", events::add);
        assertThat(tap.awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(events).hasSize(2);
        Schema schema = engine.avroSchema("big");
        GenericRecord rec = new GenericDatumReader<GenericRecord>(schema)
                .read(null, DecoderFactory.get().binaryDecoder(events.get(0).body(), null));
        assertThat(rec.get("u").toString()).isEqualTo("b");
        assertThat(rec.get("n10")).isEqualTo(20);
        assertThat(events.get(0).header("timestamp")).isEqualTo("2000");
        assertThatThrownBy(() -> engine.execute("DROP STREAM clicks"))
                .hasMessageContaining("stream 'big' is defined from stream 'clicks'; DROP STREAM big first");
    }

    @Test
    void derivedStreamWithAMapIsTappedAsAnAvroMap() throws Exception {
        write(dir, "m.json", "{\"ts\":1000,\"labels\":{\"rack\":\"r1\",\"dc\":\"jb\"}}", "{\"ts\":2000}");
        engine.execute("CREATE STREAM m (ts TIMESTAMP, labels MAP<STRING, STRING>) FROM FILE 'm.json' EVENT FORMAT 'json'");
        engine.execute("CREATE STREAM lm AS SELECT ts, labels, labels['rack'] AS rack FROM m");
        List<Event> events = Collections.synchronizedList(new ArrayList<>());
        Flow tap = engine.tapStream("lm", events::add);
        assertThat(tap.awaitEnd(Duration.ofSeconds(10))).isTrue();
        Schema schema = engine.avroSchema("lm");
        assertThat(schema.getField("labels").schema().getTypes().get(1).getType()).isEqualTo(Schema.Type.MAP);
        GenericDatumReader<GenericRecord> reader = new GenericDatumReader<>(schema);
        GenericRecord first = reader.read(null, DecoderFactory.get().binaryDecoder(events.get(0).body(), null));
        Map<String, String> labels = new TreeMap<>();
        ((Map<?, ?>) first.get("labels")).forEach((k, v) -> labels.put(k.toString(), v.toString()));
        assertThat(labels).containsExactly(Map.entry("dc", "jb"), Map.entry("rack", "r1"));
        assertThat(first.get("rack").toString()).isEqualTo("r1");
        GenericRecord second = reader.read(null, DecoderFactory.get().binaryDecoder(events.get(1).body(), null));
        assertThat(second.get("labels")).isNull();
    }

    @Test
    void rejectedEventsAreCountedAndKeptWithTheirReason() throws Exception {
        write(dir, "bad.csv", "1,ok", "x,bad", "3,", "4,fine");
        engine.execute("CREATE STREAM s (a INT NOT NULL, b STRING) FROM FILE 'bad.csv'");
        EngineTestSupport.Collector c = new EngineTestSupport.Collector();
        Flow f = engine.execute("SELECT a, b FROM s", c).flow().orElseThrow();
        assertThat(f.awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(c.rows).hasSize(3);
        assertThat(f.counters()).isEqualTo(new FlowCounters(4, 3, 1, 0));
        assertThat(f.rejectedEvents()).containsExactly(new RejectedEvent("s", "x,bad",
                "column 'a' (INT NOT NULL): 'x' does not parse as INT"));
    }

    @Test
    void twoFilesJoinDeterministicallyByEventTime() throws Exception {
        write(dir, "o.csv", "100,1,pen", "400,2,ink", "900,3,cup");
        write(dir, "p.csv", "150,1,5", "380,2,7", "2000,3,9");
        engine.execute("CREATE STREAM orders (ts TIMESTAMP, id INT, item STRING) FROM FILE 'o.csv' PROPERTIES ('timestamp.col'='ts')");
        engine.execute("CREATE STREAM pays (ts TIMESTAMP, id INT, amount INT) FROM FILE 'p.csv' PROPERTIES ('timestamp.col'='ts')");
        List<String> out = run(engine, "SELECT o.item, p.amount FROM orders o LEFT JOIN pays p ON o.id = p.id "
                + "OVER RANGE BETWEEN INTERVAL 50 MILLISECONDS PRECEDING AND INTERVAL 100 MILLISECONDS FOLLOWING");
        assertThat(out).containsExactly("item,amount", "pen,5", "ink,7", "cup,");
    }

    @Test
    void missingFilesAndUnsupportedSourcesAreClearErrors() throws Exception {
        engine.execute("CREATE STREAM gone (a INT) FROM FILE 'nope.csv'");
        assertThatThrownBy(() -> engine.execute("SELECT a FROM gone")).hasMessageContaining("does not exist; fix the path");
        engine.execute("CREATE STREAM n (a INT) FROM NODE 'a1.r1'");
        assertThatThrownBy(() -> engine.execute("SELECT a FROM n")).hasMessageContaining("not yet supported in local mode");
        engine.execute("CREATE STREAM src (a INT) FROM SOURCE 'netcat' PROPERTIES ('port' = '4444') EVENT FORMAT 'csv'");
        assertThat(engine.execute("DESCRIBE src").message()).isEqualTo("Stream src: SOURCE 'netcat'");
    }
}
