package io.sluice.sql.agent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.Event;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.runner.Backoff;
import io.sluice.core.tap.Tap;
import io.sluice.core.tap.TapKind;
import io.sluice.sql.Flow;
import io.sluice.sql.Row;
import io.sluice.sql.agent.http.ServerAddress;
import io.sluice.sql.agent.tee.TeeClient;
import io.sluice.sql.server.ServerOptions;
import io.sluice.sql.server.SqlServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The agent side against the real rtsql server (sluice-sql-server, in-process, real HTTP on
 * 127.0.0.1): an agent's tee feeds a flow over {@code FROM NODE}, and an agent's {@code rtsql}
 * source reads a derived stream back as Avro records.
 */
class RealServerTest {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private AgentSpec agent(String name, String sourceLines, long total) throws IOException {
        return AgentSpec.fromProperties(name, OrderedProperties.parse(String.join("\n",
                name + ".sources = r1",
                name + ".channels = c1",
                name + ".sinks = k1",
                sourceLines,
                name + ".sources.r1.channels = c1",
                name + ".channels.c1.type = memory",
                name + ".channels.c1.capacity = 10000",
                name + ".channels.c1.transactionCapacity = 1000",
                name + ".sinks.k1.type = null",
                name + ".sinks.k1.channel = c1")), Files.createDirectories(dir.resolve(name)))
                .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
    }

    @Test
    void aFlowOverANodeGetsTheAgentsTeeAndTheTapClosesWhenTheFlowIsDropped() throws Exception {
        try (SqlServer server = SqlServer.start(ServerOptions.defaults(0, dir.resolve("server")))) {
            server.engine().execute("CREATE STREAM nums (n BIGINT) FROM NODE 'a1.r1'");
            List<Row> rows = new CopyOnWriteArrayList<>();
            Flow flow = server.engine().execute("SELECT n * 2 AS twice FROM nums WHERE n % 2 = 0", rows::add)
                    .flow().orElseThrow();
            AgentSpec spec = agent("a1", "a1.sources.r1.type = seq\na1.sources.r1.batchSize = 100\n"
                    + "a1.sources.r1.totalEvents = 2000", 2000);
            ServerAddress address = ServerAddress.of("127.0.0.1:" + server.address().getPort(), server.token(), false,
                    null);
            try (TeeClient tee = TeeClient.start(address, "a1", spec.taps(),
                    () -> TeeClient.components(Agent.validate(spec).topology()), TeeClient.Options.DEFAULTS)) {
                await().atMost(WAIT).until(() -> tee.openTees().contains("r1"));
                try (Agent a = Agent.create(spec)) {
                    a.start();
                    await().atMost(WAIT).until(() -> rows.size() == 1000);
                    assertThat(a.counters().find("SINK", "k1").get(SinkCounter.DRAIN_SUCCESS)).isEqualTo(2000);
                }
                assertThat(rows).extracting(r -> r.value(0)).startsWith(0L, 4L, 8L);
                assertThat(tee.counters().dropped()).isZero();
                server.engine().dropFlow(flow.id());
                await().atMost(WAIT).until(() -> spec.taps().point(TapKind.SOURCE, "r1").openTaps() == 0);
            }
        }
    }

    @Test
    void theRtsqlSourceReadsADerivedStreamAsAvroRecords() throws Exception {
        try (SqlServer server = SqlServer.start(ServerOptions.defaults(0, dir.resolve("server")))) {
            server.engine().execute("CREATE STREAM words (w STRING, n INT) FROM NODE 'a1.r1'");
            server.engine().execute("CREATE STREAM loud AS SELECT UPPER(w) AS big, n + 1 AS next FROM words");
            Path token = Files.writeString(dir.resolve("token"), server.token());
            int port = server.address().getPort();
            AgentSpec reader = agent("b1", String.join("\n", "b1.sources.r1.type = rtsql",
                    "b1.sources.r1.server = 127.0.0.1:" + port, "b1.sources.r1.stream = loud",
                    "b1.sources.r1.tokenFile = " + token, "b1.sources.r1.batchSize = 10"), 0);
            List<Event> got = new CopyOnWriteArrayList<>();
            try (Agent b = Agent.create(reader)) {
                b.start();
                Tap channelTap = reader.taps().point(TapKind.CHANNEL, "c1").open(1000);
                await().atMost(WAIT).until(() -> b.counters().find("SOURCE", "r1").get("OpenConnectionCount") == 1);
                AgentSpec writer = agent("a1", "a1.sources.r1.type = seq\na1.sources.r1.totalEvents = 3", 3);
                ServerAddress address = ServerAddress.of("127.0.0.1:" + port, server.token(), false, null);
                try (TeeClient tee = TeeClient.start(address, "a1", writer.taps(),
                        () -> TeeClient.components(Agent.validate(writer).topology()), TeeClient.Options.DEFAULTS)) {
                    await().atMost(WAIT).until(() -> tee.openTees().contains("r1"));
                    try (Agent a = Agent.create(writer)) {
                        a.start();
                        await().atMost(WAIT).until(() -> {
                            channelTap.drainTo(got, 100);
                            return got.size() == 3;
                        });
                    }
                }
            }
            Event first = got.get(0);
            Schema schema = new Schema.Parser().parse(first.header("flume.avro.schema.literal"));
            GenericRecord r = new GenericDatumReader<GenericRecord>(schema).read(null,
                    DecoderFactory.get().binaryDecoder(first.body(), null));
            assertThat(r.get("big").toString()).isEqualTo("0");
            assertThat(r.get("next")).isNull();
        }
    }

    /**
     * A flow over {@code FROM METRICS} whose query API does not answer yet (the agent is not up) is
     * listed as waiting by the server, as a flow over a NODE that has not registered is, so that
     * {@code \f} says why it gets no rows.
     */
    @Test
    void aFlowOverMetricsWaitingForItsQueryApiIsListedAsWaiting() throws Exception {
        int queryPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            queryPort = probe.getLocalPort(); // closed again: nothing answers there
        }
        try (SqlServer server = SqlServer.start(ServerOptions.defaults(0, dir.resolve("server")))) {
            server.engine().execute("CREATE STREAM m FROM METRICS 'temperature' PROPERTIES ('url' = 'http://127.0.0.1:"
                    + queryPort + "', 'token' = 't')");
            Flow flow = server.engine().execute("SELECT value FROM m", row -> { }).flow().orElseThrow();
            HttpClient http = HttpClient.newHttpClient();
            HttpRequest get = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.address().getPort()
                    + "/v1/flows/" + flow.id())).header("Authorization", "Bearer " + server.token()).build();
            HttpResponse<String> r = http.send(get, HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
            JsonNode waiting = new ObjectMapper().readTree(r.body()).path("waiting");
            assertThat(waiting).hasSize(1);
            assertThat(waiting.get(0).asText()).startsWith("stream m: waiting for the metrics query API")
                    .contains("http://127.0.0.1:" + queryPort);
        }
    }
}
