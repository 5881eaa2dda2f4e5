package io.sluice.sql.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.sql.EngineOptions;
import io.sluice.sql.EventSourceProvider;
import io.sluice.sql.WaitingSource;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The server's API over real HTTP on 127.0.0.1: token, statements, flows, watches, push queries. */
class SqlServerTest {
    @TempDir
    Path dir;
    SqlServer server;
    ApiClient client;

    @BeforeEach
    void start() throws Exception {
        server = SqlServer.start(ServerOptions.defaults(0, dir));
        client = new ApiClient(server);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aMissingOrWrongTokenGets401AndNothingElse() throws Exception {
        for (ApiClient c : List.of(new ApiClient("http://127.0.0.1:" + server.address().getPort(), null),
                new ApiClient("http://127.0.0.1:" + server.address().getPort(), server.token() + "x"))) {
            HttpResponse<String> r = c.post("/v1/statements", "{\"sql\":\"SHOW STREAMS\"}");
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(r.body()).isEmpty();
            assertThat(c.get("/v1/flows").statusCode()).isEqualTo(401);
            assertThat(c.get("/v1/nodes/a1/tees?components=r1").statusCode()).isEqualTo(401);
        }
        assertThat(client.get("/v1/flows").statusCode()).isEqualTo(200);
    }

    @Test
    void theTokenIsWrittenOnceWithMode0600AndKeptAcrossStarts() throws Exception {
        Path token = dir.resolve("token");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        assertThat(TokenFile.read(token)).isEqualTo(server.token()).hasSize(64);
        String first = server.token();
        server.close();
        server = SqlServer.start(ServerOptions.defaults(0, dir));
        assertThat(server.token()).isEqualTo(first);
    }

    @Test
    void aTokenFileOthersCanReadIsRefused() throws Exception {
        server.close();
        server = null;
        Files.setPosixFilePermissions(dir.resolve("token"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThatThrownBy(() -> SqlServer.start(ServerOptions.defaults(0, dir)))
                .hasMessageContaining("is readable by others").hasMessageContaining("chmod 600");
    }

    @Test
    void statementsRunAndBadOnesAnswer400WithTheShellsMessage() throws Exception {
        JsonNode created = client.statement("CREATE STREAM nums (n BIGINT) FROM SOURCE 'seq'");
        assertThat(created.path("message").asText()).isEqualTo("Stream nums created");
        JsonNode shown = client.statement("SHOW STREAMS");
        assertThat(shown.path("columnNames").toString()).isEqualTo("[\"name\",\"source\",\"columns\"]");
        assertThat(shown.path("rows").get(0).get(0).asText()).isEqualTo("nums");
        HttpResponse<String> bad = client.post("/v1/statements", "{\"sql\":\"SELECT nn FROM nums\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        JsonNode err = ApiClient.JSON.readTree(bad.body());
        assertThat(err.path("error").asText()).isEqualTo("statement");
        assertThat(err.path("message").asText()).contains("line 1:8").contains("'nn'").contains("did you mean 'n'");
        assertThat(client.post("/v1/statements", "not json").statusCode()).isEqualTo(400);
        assertThat(client.post("/v1/statements", "{\"sql\":\"SHOW STREAMS; SHOW FLOWS\"}").body())
                .contains("2 statements given");
        assertThat(client.get("/v1/nope").statusCode()).isEqualTo(404);
        assertThat(client.get("/v1/statements").statusCode()).isEqualTo(405);
    }

    @Test
    void aFlowIsListedWatchedUnwatchedAndDropped() throws Exception {
        client.statement("CREATE STREAM nums (n BIGINT) FROM SOURCE 'seq'");
        JsonNode started = client.statement("SELECT n * 2 AS twice FROM nums WHERE n % 1000 = 0");
        long id = started.path("flow").path("id").asLong();
        assertThat(started.path("message").asText()).isEqualTo("Started flow " + id);
        JsonNode flows = ApiClient.JSON.readTree(client.get("/v1/flows").body());
        assertThat(flows.path("flows").get(0).path("state").asText()).isEqualTo("RUNNING");
        try (ApiClient.Lines w = client.streamGet("/v1/flows/" + id + "/watch")) {
            assertThat(w.status).isEqualTo(200);
            JsonNode head = ApiClient.JSON.readTree(w.next());
            assertThat(head.path("flowId").asLong()).isEqualTo(id);
            assertThat(head.path("columnNames").toString()).isEqualTo("[\"twice\"]");
            assertThat(head.path("columnTypes").toString()).isEqualTo("[\"BIGINT\"]");
            // A watch shows the rows from when it attached; the flow may not have passed n = 0 yet,
            // so its first row can be [0]. Every row is n * 2 for an n that is a multiple of 1000.
            for (int i = 0; i < 3; i++) {
                String row = w.next();
                assertThat(row).matches("\\[\\d+\\]|\\{\"skipped\":\\d+\\}");
                if (row.startsWith("[")) {
                    assertThat(ApiClient.JSON.readTree(row).get(0).asLong() % 2000).as(row).isZero();
                }
            }
        }
        // closing the watch leaves the flow running
        JsonNode after = ApiClient.JSON.readTree(client.get("/v1/flows/" + id).body());
        assertThat(after.path("state").asText()).isEqualTo("RUNNING");
        HttpResponse<String> dropped = client.delete("/v1/flows/" + id + "?wait=true");
        assertThat(dropped.statusCode()).isEqualTo(200);
        assertThat(ApiClient.JSON.readTree(dropped.body()).path("flow").path("state").asText()).isEqualTo("DROPPED");
        assertThat(client.delete("/v1/flows/" + id).statusCode()).isEqualTo(409);
        assertThat(client.delete("/v1/flows/999").statusCode()).isEqualTo(404);
    }

    @Test
    void aWatchedSelectStreamsItsResultThenRowsThenItsEnd() throws Exception {
        client.statement("CREATE STREAM ten (n BIGINT) FROM SOURCE 'seq' PROPERTIES ('totalEvents' = '10')");
        try (ApiClient.Lines s = client.streamPost("/v1/statements",
                "{\"sql\":\"SELECT SUM(n) AS total FROM ten OVER TUMBLING INTERVAL 1 DAYS\",\"watch\":true}")) {
            JsonNode result = ApiClient.JSON.readTree(s.next());
            assertThat(result.path("message").asText()).startsWith("Started flow ");
            assertThat(s.next()).isEqualTo("[45]");
            JsonNode end = ApiClient.JSON.readTree(s.next());
            assertThat(end.path("end").path("state").asText()).isEqualTo("FINISHED");
            assertThat(end.path("end").path("eventsIn").asLong()).isEqualTo(10);
            assertThat(s.next()).isNull();
        }
    }

    @Test
    void aPushQueryLivesAsLongAsItsClient() throws Exception {
        client.statement("CREATE STREAM nums (n BIGINT) FROM SOURCE 'seq'");
        long id;
        try (ApiClient.Lines q = client.streamPost("/query-stream",
                "{\"sql\":\"SELECT n, 'x' AS s FROM nums\",\"properties\":{}}")) {
            assertThat(q.status).isEqualTo(200);
            JsonNode head = ApiClient.JSON.readTree(q.next());
            assertThat(head.path("queryId").asText()).startsWith("q-");
            assertThat(head.path("columnNames").toString()).isEqualTo("[\"n\",\"s\"]");
            assertThat(head.path("columnTypes").toString()).isEqualTo("[\"BIGINT\",\"STRING\"]");
            assertThat(q.next()).isEqualTo("[0,\"x\"]");
            id = Long.parseLong(head.path("queryId").asText().substring(2));
            assertThat(server.engine().flow(id).orElseThrow().state().name()).isEqualTo("RUNNING");
        }
        await().atMost(Duration.ofSeconds(10)).until(() ->
                server.engine().flow(id).orElseThrow().state().name().equals("DROPPED"));
        // push queries are not kept by the metastore
        assertThat(Files.readString(dir.resolve(Metastore.FILE))).doesNotContain("'x' AS s");
        HttpResponse<String> bad = client.post("/query-stream", "{\"sql\":\"SHOW STREAMS\"}");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("only a SELECT");
    }

    @Test
    void streamsAndFlowsSurviveARestartUnderTheirIds() throws Exception {
        client.statement("CREATE STREAM nums (n BIGINT) FROM SOURCE 'seq'");
        client.statement("CREATE STREAM evens AS SELECT n FROM nums WHERE n % 2 = 0");
        long a = client.statement("SELECT n FROM evens WHERE n < 0").path("flow").path("id").asLong();
        long b = client.statement("SELECT n FROM nums WHERE n < 0").path("flow").path("id").asLong();
        client.delete("/v1/flows/" + a);
        server.close();
        server = SqlServer.start(ServerOptions.defaults(0, dir));
        client = new ApiClient(server);
        JsonNode streams = client.statement("SHOW STREAMS");
        List<String> names = new ArrayList<>();
        streams.path("rows").forEach(r -> names.add(r.get(0).asText()));
        assertThat(names).containsExactly("nums", "evens");
        JsonNode flows = ApiClient.JSON.readTree(client.get("/v1/flows").body()).path("flows");
        assertThat(flows).hasSize(1);
        assertThat(flows.get(0).path("id").asLong()).isEqualTo(b);
        assertThat(flows.get(0).path("query").asText()).isEqualTo("SELECT n FROM nums WHERE n < 0");
        await().atMost(Duration.ofSeconds(10)).until(() ->
                server.engine().flow(b).orElseThrow().counters().eventsIn() > 0);
        long c = client.statement("SELECT n FROM nums WHERE n < 0").path("flow").path("id").asLong();
        assertThat(c).isGreaterThan(b);
    }

    @Test
    void aMetastoreOfAnotherVersionIsRefused() throws Exception {
        server.close();
        server = null;
        Files.writeString(dir.resolve(Metastore.FILE), "{\"version\":99,\"streams\":[],\"flows\":[]}");
        assertThatThrownBy(() -> SqlServer.start(ServerOptions.defaults(0, dir)))
                .hasMessageContaining("format version 99");
    }

    @Test
    void aRequestBodyOverTheLimitIsRefused() throws Exception {
        server.close();
        server = SqlServer.start(ServerOptions.defaults(0, dir).withLimits(256, 60_000, 10_000, 2048));
        client = new ApiClient(server);
        HttpResponse<String> r = client.post("/v1/statements", "{\"sql\":\"" + "x".repeat(5000) + "\"}");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(client.statement("SHOW FLOWS").path("message").asText()).isEqualTo("0 flow(s)");
    }

    /** A METRICS source as the agent's module opens it: it says why it waits until told to read. */
    static final class WaitingMetrics implements EventSourceProvider {
        volatile String why = "waiting for the metrics query API (asking again with a backoff up to 30 s): "
                + "connection refused";

        @Override
        public boolean supports(String kind, String target) {
            return kind.equals("METRICS");
        }

        @Override
        public AutoCloseable open(String kind, String target, Map<String, String> properties, EventSink sink) {
            return new Handle();
        }

        final class Handle implements AutoCloseable, WaitingSource {
            @Override
            public String waitingReason() {
                return why;
            }

            @Override
            public void close() {
            }
        }
    }

    @Test
    void showFlowsSaysWhatAMetricsFlowWaitsForAsTheFlowsApiDoes() throws Exception {
        server.close();
        WaitingMetrics metrics = new WaitingMetrics();
        server = SqlServer.start(ServerOptions.defaults(0, dir), EngineOptions.builder().eventSource(metrics));
        client = new ApiClient(server);
        client.statement("CREATE STREAM m FROM METRICS 'temperature'");
        long f = client.statement("SELECT * FROM m").path("flow").path("id").asLong();
        String expected = "stream m: " + metrics.why;
        JsonNode shown = client.statement("SHOW FLOWS");
        assertThat(shown.path("columnNames").get(7).asText()).isEqualTo("waiting");
        assertThat(shown.path("rows").get(0).get(0).asLong()).isEqualTo(f);
        assertThat(shown.path("rows").get(0).get(7).asText()).isEqualTo(expected);
        assertThat(ApiClient.JSON.readTree(client.get("/v1/flows/" + f).body()).path("waiting").get(0).asText())
                .isEqualTo(expected);
        metrics.why = null;
        assertThat(client.statement("SHOW FLOWS").path("rows").get(0).get(7).asText()).isEmpty();
        assertThat(ApiClient.JSON.readTree(client.get("/v1/flows/" + f).body()).path("waiting")).isEmpty();
    }
}
