package io.sluice.sql.agent.source;

import io.sluice.api.ChannelFullException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.ValidationReport;
import io.sluice.core.config.OrderedProperties;
import io.sluice.sql.agent.http.ServerAddress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The rtsql source against a server answering {@code /query-stream} over real sockets. */
class RtsqlSourceTest {
    private static final String TOKEN = "tok-123";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** A channel processor that collects batches, refusing the first {@code refusals} of them as full. */
    private static final class Collector implements ChannelProcessor {
        final List<Event> events = new CopyOnWriteArrayList<>();
        final AtomicInteger refusals;

        Collector(int refusals) {
            this.refusals = new AtomicInteger(refusals);
        }

        @Override
        public void processEvent(Event event) {
            processEventBatch(List.of(event));
        }

        @Override
        public void processEventBatch(List<Event> batch) {
            if (refusals.getAndDecrement() > 0) {
                throw new ChannelFullException("test channel is full");
            }
            events.addAll(batch);
        }
    }

    private RtsqlSource source(int port, String stream, Collector into, SourceCounter counter) {
        RtsqlSource s = new RtsqlSource("r1", "a1.sources.r1", ServerAddress.of("127.0.0.1:" + port, TOKEN, false, null),
                stream, 2, Duration.ofMillis(100), Duration.ofMillis(400), counter, Clock.systemUTC());
        s.setChannelProcessor(into);
        s.start();
        toClose.add(s::stop);
        return s;
    }

    private static GenericRecord decode(Event e) throws IOException {
        Schema schema = new Schema.Parser().parse(e.header("flume.avro.schema.literal"));
        return new GenericDatumReader<GenericRecord>(schema).read(null,
                DecoderFactory.get().binaryDecoder(e.body(), null));
    }

    @Test
    void everyRowBecomesAnAvroRecordWithItsSchemaInTheHeader() throws Exception {
        QueryServer server = new QueryServer(0, TOKEN);
        toClose.add(server);
        server.define("hits", List.of("page", "n", "ts", "price", "ok", "tags", "ratio"),
                List.of("STRING", "BIGINT", "TIMESTAMP", "PRECISE(2)", "BOOLEAN", "LIST<STRING>", "DOUBLE"));
        Collector got = new Collector(0);
        SourceCounter counter = new SourceCounter("r1");
        source(server.port(), "hits", got, counter);
        await().atMost(WAIT).until(() -> server.open.get() == 1);
        server.row("hits", "[\"/a\",12,1700000000000,\"3.50\",true,[\"x\",null],0.25]");
        server.row("hits", "[null,null,null,null,null,null,\"NaN\"]");
        server.row("hits", "[\"/b\",\"not a number\",1,\"1\",false,[],1]");
        server.row("hits", "[\"/c\",3,2,4.1,false,[],1]");
        await().atMost(WAIT).until(() -> got.events.size() == 3);
        assertThat(server.statements).containsOnly("SELECT * FROM hits");
        GenericRecord first = decode(got.events.get(0));
        assertThat(first.getSchema().getFields()).extracting(Schema.Field::name)
                .containsExactly("page", "n", "ts", "price", "ok", "tags", "ratio");
        assertThat(first.getSchema().getField("n").schema().getTypes()).extracting(Schema::getType)
                .containsExactly(Schema.Type.NULL, Schema.Type.LONG);
        assertThat(first.get("page").toString()).isEqualTo("/a");
        assertThat(first.get("n")).isEqualTo(12L);
        assertThat(first.get("ts")).isEqualTo(1700000000000L);
        assertThat(first.get("price").toString()).isEqualTo("3.50");
        assertThat(first.get("ok")).isEqualTo(true);
        assertThat(first.get("tags").toString()).isEqualTo("[x, null]");
        assertThat(first.get("ratio")).isEqualTo(0.25);
        GenericRecord nulls = decode(got.events.get(1));
        assertThat(nulls.get("page")).isNull();
        assertThat((Double) nulls.get("ratio")).isNaN();
        assertThat(decode(got.events.get(2)).get("price").toString()).isEqualTo("4.1");
        assertThat(counter.get(SourceCounter.EVENT_READ_FAIL)).as("the row whose n is not a number").isEqualTo(1);
        assertThat(counter.get(SourceCounter.EVENT_ACCEPTED)).isEqualTo(3);
    }

    @Test
    void aMapColumnBecomesAnAvroMap() throws Exception {
        QueryServer server = new QueryServer(0, TOKEN);
        toClose.add(server);
        server.define("alerts", List.of("labels", "value"), List.of("MAP<STRING, STRING>", "DOUBLE"));
        Collector got = new Collector(0);
        source(server.port(), "alerts", got, new SourceCounter("r1"));
        await().atMost(WAIT).until(() -> server.open.get() == 1);
        server.row("alerts", "[{\"rack\":\"r1\",\"dc\":\"jb\"},41.5]");
        server.row("alerts", "[null,1]");
        await().atMost(WAIT).until(() -> got.events.size() == 2);
        GenericRecord first = decode(got.events.get(0));
        assertThat(first.getSchema().getField("labels").schema().getTypes()).extracting(Schema::getType)
                .containsExactly(Schema.Type.NULL, Schema.Type.MAP);
        assertThat(first.get("labels").toString()).isEqualTo("{dc=jb, rack=r1}");
        assertThat(decode(got.events.get(1)).get("labels")).isNull();
    }

    @Test
    void waitsForAStreamThatDoesNotExistYetAndReconnectsWhenTheServerComesBack() throws Exception {
        QueryServer first = new QueryServer(0, TOKEN);
        int port = first.port();
        Collector got = new Collector(0);
        source(port, "late", got, new SourceCounter("r1"));
        await().atMost(WAIT).until(() -> first.refused.get() >= 2);
        first.define("late", List.of("v"), List.of("INT"));
        await().atMost(WAIT).until(() -> first.open.get() == 1);
        first.row("late", "[1]");
        await().atMost(WAIT).until(() -> got.events.size() == 1);
        first.close();
        QueryServer second = new QueryServer(port, TOKEN);
        toClose.add(second);
        second.define("late", List.of("v"), List.of("INT"));
        await().atMost(WAIT).until(() -> second.open.get() == 1);
        second.row("late", "[2]");
        await().atMost(WAIT).until(() -> got.events.size() == 2);
        assertThat(decode(got.events.get(1)).get("v")).isEqualTo(2);
    }

    @Test
    void aFullChannelIsRetriedAndNoRowIsLost() throws Exception {
        QueryServer server = new QueryServer(0, TOKEN);
        toClose.add(server);
        server.define("s", List.of("v"), List.of("INT"));
        Collector got = new Collector(3);
        SourceCounter counter = new SourceCounter("r1");
        source(server.port(), "s", got, counter);
        await().atMost(WAIT).until(() -> server.open.get() == 1);
        for (int i = 0; i < 50; i++) {
            server.row("s", "[" + i + "]");
        }
        await().atMost(WAIT).until(() -> got.events.size() == 50);
        List<Object> values = new ArrayList<>();
        for (Event e : got.events) {
            values.add(decode(e).get("v"));
        }
        assertThat(values).containsExactlyElementsOf(IntStream.range(0, 50).boxed().toList());
        assertThat(counter.get(SourceCounter.CHANNEL_WRITE_FAIL)).isEqualTo(3);
    }

    @Test
    void aWrongTokenIsRefusedAndTheSourceKeepsTrying() throws Exception {
        QueryServer server = new QueryServer(0, "other");
        toClose.add(server);
        Collector got = new Collector(0);
        source(server.port(), "s", got, new SourceCounter("r1"));
        await().atMost(WAIT).until(() -> server.unauthorized.get() >= 2);
        assertThat(server.statements).isEmpty();
        assertThat(got.events).isEmpty();
    }

    @Test
    void theAgentNamesEveryMissingOrBadKey() throws Exception {
        Path token = Files.writeString(dir.resolve("token"), "abc\n");
        ValidationReport report = Agent.validate(AgentSpec.fromProperties("a1", OrderedProperties.parse(String.join("\n",
                "a1.sources = r1 r2",
                "a1.channels = c1",
                "a1.sources.r1.type = rtsql",
                "a1.sources.r1.channels = c1",
                "a1.sources.r2.type = rtsql",
                "a1.sources.r2.server = localhost",
                "a1.sources.r2.stream = s",
                "a1.sources.r2.tokenFile = " + token,
                "a1.sources.r2.batchSize = 0",
                "a1.sources.r2.channels = c1",
                "a1.channels.c1.type = memory")), dir));
        assertThat(report.ok()).isFalse();
        assertThat(report.render()).contains("a1.sources.r1.server").contains("a1.sources.r1.stream")
                .contains("a1.sources.r2.batchSize").contains("a1.sources.r2.server");
    }
}
