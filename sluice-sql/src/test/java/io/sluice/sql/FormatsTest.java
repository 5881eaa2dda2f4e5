package io.sluice.sql;

import io.sluice.api.Event;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.sluice.sql.EngineTestSupport.run;
import static org.assertj.core.api.Assertions.assertThat;

/** Every event format, read from real files and pushed events. */
class FormatsTest {
    @TempDir
    Path dir;
    private RtsqlEngine engine;

    @BeforeEach
    void setUp() {
        engine = new RtsqlEngine(EngineOptions.builder().baseDirectory(dir).build());
    }

    @AfterEach
    void tearDown() {
        engine.close();
    }

    @Test
    void delimitedHonoursItsProperties() throws Exception {
        Files.writeString(dir.resolve("d.txt"), "1;a|b;NULL;1.5\n\n2;;x;2.25\n");
        assertThat(run(engine, "CREATE STREAM d (i INT, l LIST<STRING>, s STRING, f FLOAT) FROM FILE 'd.txt' "
                + "PROPERTIES ('delimiter' = ';', 'null.sequence' = 'NULL', 'list.delim' = '|');"
                + "SELECT i, SIZE(l), s, f FROM d")).containsExactly("i,SIZE(l),s,f", "1,2,,1.5", "2,0,x,2.25");
    }

    @Test
    void csvReadsQuotedFieldsAcrossLines() throws Exception {
        Files.writeString(dir.resolve("c.csv"), "1,\"a, \"\"quoted\"\" text\",x\n2,\"two\nlines\",\n");
        EngineTestSupport.Collector c = new EngineTestSupport.Collector();
        engine.execute("CREATE STREAM c (i INT, t STRING, e STRING) FROM FILE 'c.csv' EVENT FORMAT 'csv'");
        Flow f = engine.execute("SELECT i, t, e FROM c", c).flow().orElseThrow();
        assertThat(f.awaitEnd(Duration.ofSeconds(10))).isTrue();
        assertThat(c.rows).extracting(r -> r.value(1)).containsExactly("a, \"quoted\" text", "two\nlines");
        assertThat(c.rows.get(1).value(2)).isEqualTo("");
    }

    @Test
    void regexGroupsFillColumns() throws Exception {
        Files.writeString(dir.resolve("log.txt"), "2026-11-21 GET /home 200\ngarbage\n2026-11-21 POST /cart 500\n");
        List<String> out = run(engine, "CREATE STREAM log (day STRING, verb STRING, path STRING, status INT NOT NULL) "
                + "FROM FILE 'log.txt' EVENT FORMAT 'regex' PROPERTIES ('regex' = '(\\\\S+) (\\\\S+) (\\\\S+) (\\\\d+)');"
                + "SELECT verb, path, status FROM log");
        assertThat(out).containsExactly("verb,path,status", "GET,/home,200", "POST,/cart,500");
        Flow f = engine.flows().get(0);
        assertThat(f.counters().rejected()).isEqualTo(1);
        assertThat(f.rejectedEvents().get(0).reason()).contains("does not match the regex");
    }

    @Test
    void jsonReadsFieldsAndPointers() throws Exception {
        Files.writeString(dir.resolve("j.json"), "{\"ts\": 5, \"user\": {\"name\": \"ann\"}, \"tags\": [\"x\", \"y\"], \"n\": 1.5}\n"
                + "not json\n{\"ts\": \"7\", \"n\": \"2\", \"tags\": []}\n");
        engine = new RtsqlEngine(EngineOptions.builder().baseDirectory(dir)
                .clock(Clock.fixed(Instant.ofEpochMilli(99), ZoneOffset.UTC)).build());
        List<String> out = run(engine, "CREATE STREAM j (ts TIMESTAMP, name STRING, tags LIST<STRING>, n DOUBLE) "
                + "FROM FILE 'j.json' EVENT FORMAT 'json' PROPERTIES ('path.name' = '/user/name', 'timestamp.col' = 'ts');"
                + "SELECT ts, name, SIZE(tags), n, EVENT_TIMESTAMP() AS et FROM j");
        // the line that is not JSON is rejected: never a row of NULLs stamped with the arrival time
        assertThat(out).containsExactly("ts,name,SIZE(tags),n,et", "5,ann,2,1.5,5", "7,,0,2.0,7");
        assertThat(engine.flows().get(0).rejectedEvents()).singleElement()
                .satisfies(r -> assertThat(r.reason()).contains("not valid JSON"));
    }

    @Test
    void avroReadsContainerFilesAndEventBodies() throws Exception {
        String schemaJson = "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"id\",\"type\":\"int\"},"
                + "{\"name\":\"name\",\"type\":[\"null\",\"string\"]},{\"name\":\"price\",\"type\":\"double\"}]}";
        Schema schema = new Schema.Parser().parse(schemaJson);
        File file = dir.resolve("r.avro").toFile();
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
            w.create(schema, file);
            w.append(record(schema, 1, "one", 1.5));
            w.append(record(schema, 2, null, 2.0));
        }
        assertThat(run(engine, "CREATE STREAM r (id INT, name STRING, price PRECISE(2)) FROM FILE 'r.avro' EVENT FORMAT 'avro';"
                + "SELECT id, name, price FROM r")).containsExactly("id,name,price", "1,one,1.50", "2,,2.00");

        StreamInput in = engine.createInputStream("live", List.of(new Column("id", SqlType.INT), new Column("name", SqlType.STRING)),
                "avro", Map.of("schema", schemaJson));
        EngineTestSupport.Collector c = new EngineTestSupport.Collector();
        Flow f = engine.execute("SELECT id, name FROM live", c).flow().orElseThrow();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().binaryEncoder(bytes, null);
        new GenericDatumWriter<GenericRecord>(schema).write(record(schema, 9, "nine", 0.0), enc);
        enc.flush();
        in.pushEvent(Event.wrap(Map.of(), bytes.toByteArray()));
        in.pushEvent(Event.wrap(Map.of(), "not avro".getBytes(StandardCharsets.UTF_8)));
        in.end();
        assertThat(f.awaitEnd(Duration.ofSeconds(5))).isTrue();
        assertThat(c.rows).hasSize(1);
        assertThat(c.rows.get(0).values()).containsExactly(9, "nine");
        assertThat(f.counters().rejected()).isEqualTo(1);
        assertThat(new BigDecimal("1.50")).isEqualTo(new BigDecimal("1.50"));
    }

    private static GenericRecord record(Schema s, int id, String name, double price) {
        GenericRecord r = new GenericData.Record(s);
        r.put("id", id);
        r.put("name", name);
        r.put("price", price);
        return r;
    }
}
