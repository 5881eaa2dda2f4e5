package io.sluice.sql.server;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.api.Event;
import io.sluice.core.tap.TeeAccept;
import io.sluice.core.tap.TeeFrames;
import io.sluice.sql.Flow;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The server side of the node protocol, driven by a test client that speaks it as an agent would:
 * a registration request held open, tee batches posted, over real HTTP on 127.0.0.1.
 */
class NodeProtocolTest {
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
        server.close();
    }

    private static String batch(String... bodies) {
        StringBuilder sb = new StringBuilder();
        for (String b : bodies) {
            sb.append("{\"headers\":{\"host\":\"h1\"},\"body\":\"")
                    .append(Base64.getEncoder().encodeToString(b.getBytes(StandardCharsets.UTF_8))).append("\"}\n");
        }
        return sb.toString();
    }

    private HttpResponse<String> postTee(String agent, String component, String body, long dropped) throws Exception {
        return client.send(client.request("/v1/nodes/" + agent + "/tees/" + component)
                .header("Content-Type", "application/x-ndjson").header("X-Sluice-Dropped", Long.toString(dropped))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build());
    }

    private HttpResponse<String> postFrames(String agent, String component, String contentType, byte[] body)
            throws Exception {
        return client.send(client.request("/v1/nodes/" + agent + "/tees/" + component)
                .header("Content-Type", contentType).header("X-Sluice-Dropped", "0")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** The binary tee body of {@code bodies}, each with header host=h1, as an agent encodes it. */
    private static byte[] frames(String... bodies) {
        TeeFrames.Writer w = new TeeFrames.Writer(64);
        for (String b : bodies) {
            w.write(Event.wrap(Map.of("host", "h1"), b.getBytes(StandardCharsets.UTF_8)));
        }
        return w.toByteArray();
    }

    /** As {@link #frames}, in the batch-level layout (version 2) agents send to servers announcing it. */
    private static byte[] batchFrames(String... bodies) {
        TeeFrames.BatchWriter w = new TeeFrames.BatchWriter(64);
        for (String b : bodies) {
            w.write(Event.wrap(Map.of("host", "h1"), b.getBytes(StandardCharsets.UTF_8)));
        }
        return w.toByteArray();
    }

    private long refusedBatches() throws Exception {
        return ApiClient.JSON.readTree(client.get("/v1/nodes").body()).path("nodes").get(0).path("tees").get(0)
                .path("batchesRefused").asLong();
    }

    private RawRegistration register(String agent, String components) throws Exception {
        RawRegistration r = new RawRegistration(server.address().getPort(), server.token(), agent, components);
        assertThat(r.status).isEqualTo(200);
        return r;
    }

    /** Creates stream {@code s} of one {@code line} column from {@code node} and a flow selecting it; its id. */
    private long lineFlowFrom(String node) throws Exception {
        client.statement("CREATE STREAM s (line STRING) FROM NODE '" + node + "'");
        return client.statement("SELECT line FROM s").path("flow").path("id").asLong();
    }

    @Test
    void aFlowOverANodeWaitsForItThenGetsItsTeeUntilTheLastFlowIsDropped() throws Exception {
        client.statement("CREATE STREAM clicks (user STRING, page STRING) FROM NODE 'a1.r1'");
        long f1 = client.statement("SELECT user, #host AS h FROM clicks").path("flow").path("id").asLong();
        JsonNode waiting = ApiClient.JSON.readTree(client.get("/v1/flows/" + f1).body()).path("waiting");
        assertThat(waiting.get(0).asText()).isEqualTo("stream clicks: waiting for node 'a1' to register (start it"
                + " with --rtsql-server)");
        assertThat(postTee("a1", "r1", batch("u,p"), 0).statusCode()).isEqualTo(404);

        try (RawRegistration reg = register("a1", "r1,c1,k1")) {
            assertThat(reg.next()).isEqualTo("{\"tees\":[\"r1\"]}");
            // the answer says which tee formats and batch sizes the server takes
            assertThat(reg.headers).containsEntry("x-sluice-tee-accept",
                            "application/x-sluice-tee;version=2, application/x-ndjson")
                    .containsEntry("x-sluice-tee-max-events", Integer.toString(ApiRoutes.MAX_TEE_EVENTS))
                    .containsEntry("x-sluice-tee-max-bytes", Integer.toString(ServerOptions.defaults(0, dir)
                            .maxRequestBytes()));
            TeeAccept accept = TeeAccept.fromHeaders(reg.headers::get);
            assertThat(accept).isEqualTo(new TeeAccept(true, true, true, 65_536, 4 << 20, 2));
            assertThat(ApiClient.JSON.readTree(client.get("/v1/flows/" + f1).body()).path("waiting")).isEmpty();
            try (ApiClient.Lines watch = client.streamGet("/v1/flows/" + f1 + "/watch")) {
                watch.next(); // header
                assertThat(postTee("a1", "r1", batch("alice,home", "bob,cart"), 3).statusCode()).isEqualTo(204);
                assertThat(watch.next()).isEqualTo("[\"alice\",\"h1\"]");
                assertThat(watch.next()).isEqualTo("[\"bob\",\"h1\"]");
            }
            JsonNode nodes = ApiClient.JSON.readTree(client.get("/v1/nodes").body()).path("nodes").get(0);
            assertThat(nodes.path("agent").asText()).isEqualTo("a1");
            assertThat(nodes.path("tees").get(0).path("eventsReceived").asLong()).isEqualTo(2);
            assertThat(nodes.path("tees").get(0).path("eventsDroppedByAgent").asLong()).isEqualTo(3);

            // a second flow over the same stream shares the tee; a channel tee is asked for on its own
            client.statement("CREATE STREAM puts (user STRING, page STRING) FROM NODE 'a1.c1'");
            long f2 = client.statement("SELECT page FROM clicks").path("flow").path("id").asLong();
            long f3 = client.statement("SELECT page FROM puts").path("flow").path("id").asLong();
            assertThat(reg.next()).isEqualTo("{\"tees\":[\"c1\",\"r1\"]}");
            client.delete("/v1/flows/" + f3 + "?wait=true");
            assertThat(reg.next()).isEqualTo("{\"tees\":[\"r1\"]}");
            client.delete("/v1/flows/" + f1 + "?wait=true");
            assertThat(postTee("a1", "r1", batch("carol,home"), 3).statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    server.engine().flow(f2).orElseThrow().counters().eventsIn() == 1); // it started after alice and bob
            client.delete("/v1/flows/" + f2 + "?wait=true");
            assertThat(reg.next()).isEqualTo("{\"tees\":[]}");
            HttpResponse<String> gone = postTee("a1", "r1", batch("dave,home"), 3);
            assertThat(gone.statusCode()).isEqualTo(410);
            assertThat(gone.body()).contains("no flow reads a1.r1");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> postTee("a1", "r1", batch("x,y"), 0).statusCode() == 404);
    }

    /** The {@code waiting} cell of flow {@code id}'s row in {@code SHOW FLOWS}, run through the statement endpoint. */
    private String shownWaiting(long id) throws Exception {
        JsonNode shown = client.statement("SHOW FLOWS");
        assertThat(shown.path("columnNames").toString())
                .isEqualTo("[\"id\",\"state\",\"events_in\",\"rows_out\",\"rejected\",\"late\",\"query\",\"waiting\"]");
        for (JsonNode row : shown.path("rows")) {
            if (row.get(0).asLong() == id) {
                return row.get(7).asText();
            }
        }
        throw new AssertionError("flow " + id + " is not in SHOW FLOWS: " + shown);
    }

    @Test
    void showFlowsSaysWhatANodeFlowWaitsForAsTheFlowsApiDoes() throws Exception {
        client.statement("CREATE STREAM clicks (user STRING) FROM NODE 'a6.r1'");
        client.statement("CREATE STREAM other (user STRING) FROM NODE 'a6.r9'");
        long f = client.statement("SELECT user FROM clicks").path("flow").path("id").asLong();
        long g = client.statement("SELECT c.user FROM clicks c JOIN other o ON c.user = o.user "
                + "OVER RANGE INTERVAL 1 SECONDS PRECEDING").path("flow").path("id").asLong();
        String unregistered = "stream clicks: waiting for node 'a6' to register (start it with --rtsql-server)";
        assertThat(shownWaiting(f)).isEqualTo(unregistered);
        assertThat(shownWaiting(g)).isEqualTo(unregistered + "; stream other: waiting for node 'a6' to register "
                + "(start it with --rtsql-server)");
        try (RawRegistration reg = register("a6", "r1")) {
            reg.next();
            assertThat(shownWaiting(f)).isEmpty();
            assertThat(shownWaiting(g)).isEqualTo("stream other: waiting: node 'a6' has no component 'r9' (it has [r1])");
            assertThat(ApiClient.JSON.readTree(client.get("/v1/flows/" + g).body()).path("waiting").toString())
                    .isEqualTo("[\"stream other: waiting: node 'a6' has no component 'r9' (it has [r1])\"]");
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> shownWaiting(f).equals(unregistered));
        client.delete("/v1/flows/" + f + "?wait=true");
        assertThat(shownWaiting(f)).isEmpty(); // a dropped flow waits for nothing
    }

    @Test
    void aSecondRegistrationReplacesTheFirstAndAComponentTheNodeLacksIsNamed() throws Exception {
        long f = lineFlowFrom("a2.r9");
        try (RawRegistration first = register("a2", "r1")) {
            assertThat(first.next()).isEqualTo("{\"tees\":[]}");
            assertThat(ApiClient.JSON.readTree(client.get("/v1/flows/" + f).body()).path("waiting").get(0).asText())
                    .isEqualTo("stream s: waiting: node 'a2' has no component 'r9' (it has [r1])");
            try (RawRegistration second = register("a2", "r1,r9")) {
                assertThat(second.next()).isEqualTo("{\"tees\":[\"r9\"]}");
                assertThat(first.next()).isNull(); // the older registration was closed
                assertThat(postTee("a2", "r9", batch("hello"), 0).statusCode()).isEqualTo(204);
                await().atMost(Duration.ofSeconds(5)).until(() ->
                        server.engine().flow(f).orElseThrow().counters().eventsIn() == 1);
            }
        }
        assertThat(server.engine().flow(f).orElseThrow().state()).isEqualTo(Flow.State.RUNNING);
    }

    @Test
    void aBadTeeBatchIsRefusedWithTheLineAtFault() throws Exception {
        lineFlowFrom("a3.r1");
        try (RawRegistration reg = register("a3", "r1")) {
            reg.next();
            HttpResponse<String> r = postTee("a3", "r1", batch("ok") + "{\"body\":42}\n", 0);
            assertThat(r.statusCode()).isEqualTo(400);
            assertThat(r.body()).contains("line 2");
        }
    }

    @Test
    void binaryTeeBatchesReachTheFlowWithTheirHeaders() throws Exception {
        client.statement("CREATE STREAM clicks (user STRING, page STRING) FROM NODE 'a4.r1'");
        long f = client.statement("SELECT user, page, #host AS h FROM clicks").path("flow").path("id").asLong();
        try (RawRegistration reg = register("a4", "r1")) {
            assertThat(reg.next()).isEqualTo("{\"tees\":[\"r1\"]}");
            try (ApiClient.Lines watch = client.streamGet("/v1/flows/" + f + "/watch")) {
                watch.next(); // header
                HttpResponse<String> r = postFrames("a4", "r1", TeeFrames.CONTENT_TYPE, frames("alice,home", "bob,cart"));
                assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
                assertThat(watch.next()).isEqualTo("[\"alice\",\"home\",\"h1\"]");
                assertThat(watch.next()).isEqualTo("[\"bob\",\"cart\",\"h1\"]");
                // version 2, the batch-level layout, beside version 1 (what agents of the previous release send)
                HttpResponse<String> v2 = postFrames("a4", "r1", TeeFrames.CONTENT_TYPE, batchFrames("dan,faq", "eve,cart"));
                assertThat(v2.statusCode()).as(v2.body()).isEqualTo(204);
                assertThat(watch.next()).isEqualTo("[\"dan\",\"faq\",\"h1\"]");
                assertThat(watch.next()).isEqualTo("[\"eve\",\"cart\",\"h1\"]");
                // the ndjson form is still read, chosen by its content type
                assertThat(postTee("a4", "r1", batch("carol,faq"), 0).statusCode()).isEqualTo(204);
                assertThat(watch.next()).isEqualTo("[\"carol\",\"faq\",\"h1\"]");
            }
        }
    }

    @Test
    void truncatedOversizedAndGarbageBinaryBatchesAreRefusedSayingWhatIsWrong() throws Exception {
        long f = lineFlowFrom("a5.r1");
        try (RawRegistration reg = register("a5", "r1")) {
            reg.next();
            assertThat(refusedBatches()).isZero();
            byte[] two = frames("one", "two");
            HttpResponse<String> truncated = postFrames("a5", "r1", TeeFrames.CONTENT_TYPE,
                    Arrays.copyOf(two, two.length - 2));
            assertThat(truncated.statusCode()).isEqualTo(400);
            assertThat(truncated.body()).contains("application/x-sluice-tee body: event 2 (at byte ")
                    .contains("only 23 are left in the body (truncated?)");

            HttpResponse<String> garbage = postFrames("a5", "r1", TeeFrames.CONTENT_TYPE,
                    "hello, world".getBytes(StandardCharsets.UTF_8));
            assertThat(garbage.statusCode()).isEqualTo(400);
            assertThat(garbage.body()).contains("does not start with the application/x-sluice-tee magic bytes");

            byte[] lying = frames("x");
            ByteBuffer.wrap(lying).putInt(4 + 4 + 4 + 4 + 4, -7); // the first header's value length
            HttpResponse<String> negative = postFrames("a5", "r1", TeeFrames.CONTENT_TYPE, lying);
            assertThat(negative.statusCode()).isEqualTo(400);
            assertThat(negative.body()).contains("event 1 (at byte 4): the length of header 'host''s value is negative");

            byte[] huge = frames("x");
            ByteBuffer.wrap(huge).putInt(4, ApiRoutes.MAX_TEE_EVENT_BYTES + 1);
            HttpResponse<String> oversized = postFrames("a5", "r1", TeeFrames.CONTENT_TYPE, huge);
            assertThat(oversized.statusCode()).isEqualTo(413);
            assertThat(oversized.body()).contains("exceeds the limit of " + ApiRoutes.MAX_TEE_EVENT_BYTES
                    + " bytes per event");

            String[] many = new String[ApiRoutes.MAX_TEE_EVENTS + 1];
            Arrays.fill(many, "e");
            HttpResponse<String> tooMany = postFrames("a5", "r1", TeeFrames.CONTENT_TYPE, frames(many));
            assertThat(tooMany.statusCode()).isEqualTo(413);
            assertThat(tooMany.body()).contains("more than " + ApiRoutes.MAX_TEE_EVENTS + " events in one body");

            TeeFrames.Writer w = new TeeFrames.Writer(64);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 0; i <= ApiRoutes.MAX_TEE_HEADERS; i++) {
                headers.put("h" + i, "v");
            }
            w.write(Event.wrap(headers, new byte[] {'x'}));
            HttpResponse<String> tooManyHeaders = postFrames("a5", "r1", TeeFrames.CONTENT_TYPE, w.toByteArray());
            assertThat(tooManyHeaders.statusCode()).isEqualTo(413);
            assertThat(tooManyHeaders.body()).contains("its header count " + (ApiRoutes.MAX_TEE_HEADERS + 1)
                    + " exceeds the limit of " + ApiRoutes.MAX_TEE_HEADERS + " headers per event");

            HttpResponse<String> form = postFrames("a5", "r1", "application/x-www-form-urlencoded", frames("x"));
            assertThat(form.statusCode()).isEqualTo(415);
            assertThat(form.body()).contains("send application/x-sluice-tee");

            byte[] v2 = batchFrames("one", "two");
            HttpResponse<String> v2Truncated = postFrames("a5", "r1", TeeFrames.CONTENT_TYPE,
                    Arrays.copyOf(v2, v2.length - 1));
            assertThat(v2Truncated.statusCode()).isEqualTo(400);
            assertThat(v2Truncated.body()).contains("application/x-sluice-tee body: at byte ")
                    .contains("(truncated?)").contains("(version 2)");
            byte[] v2Lying = batchFrames("one", "two");
            v2Lying[12 + 6] = 2; // the first body length: 2 + 3 where the bodies take 6 bytes
            HttpResponse<String> v2Sum = postFrames("a5", "r1", TeeFrames.CONTENT_TYPE, v2Lying);
            assertThat(v2Sum.statusCode()).isEqualTo(400);
            assertThat(v2Sum.body()).contains("the bodies' size 6 is not the 5 bytes the events' body lengths add up to");
            // every refused batch above is counted on the tee
            assertThat(refusedBatches()).isEqualTo(9);

            // nothing of a refused batch reached the flow; a good one after them does
            assertThat(postFrames("a5", "r1", TeeFrames.CONTENT_TYPE, frames("fine")).statusCode()).isEqualTo(204);
            await().atMost(Duration.ofSeconds(5)).until(() ->
                    server.engine().flow(f).orElseThrow().counters().eventsIn() == 1);
            assertThat(server.engine().flow(f).orElseThrow().counters().eventsIn()).isEqualTo(1);
        }
    }
}
