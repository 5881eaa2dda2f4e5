package io.sluice.sql.server;

import io.sluice.sql.EngineOptions;
import io.sluice.sql.Flow;
import io.sluice.sql.FlowCounters;
import io.sluice.sql.Row;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * 100 flows at once on one server over one tapped stream, on a pool of two threads: filters,
 * projections and tumbling aggregates over {@code FROM NODE 'a1.r1'}, fed by tee batches posted
 * over real HTTP as an agent posts them. Every flow sees every event, none is dropped, and each
 * flow's output is exactly what its query asks for. The batches are posted as fast as the server
 * answers: a flow whose queue is full slows the tee's sender (whose tap drops at the agent) rather
 * than drop for that flow.
 */
class HundredFlowsTest {
    private static final int FLOWS = 100;
    private static final int BATCHES = 20;
    private static final int BATCH = 1000;
    private static final int EVENTS = BATCHES * BATCH;
    private static final long T0 = 1_000_000;

    @TempDir
    Path dir;

    @Test
    void everyOneOfAHundredFlowsOverOneTeeSeesEveryEvent() throws Exception {
        try (SqlServer server = SqlServer.start(ServerOptions.defaults(0, dir),
                // a queue of one batch, so the posts outrun the flows and must wait for them
                EngineOptions.builder().flowThreads(2).flowQueueRows(BATCH).flowQueueWaitMillis(60_000))) {
            ApiClient client = new ApiClient(server);
            client.statement("CREATE STREAM ev (n BIGINT, k STRING) FROM NODE 'a1.r1'");
            List<Long> ids = new ArrayList<>();
            List<AtomicLong> sums = new ArrayList<>();
            for (int i = 0; i < FLOWS; i++) {
                String q = switch (i % 3) {
                    case 0 -> "SELECT n FROM ev WHERE n % 2 = 0";
                    case 1 -> "SELECT k, n * 10 AS m FROM ev";
                    default -> "SELECT k, COUNT(*) AS c FROM ev GROUP BY k OVER TUMBLING INTERVAL 10 SECONDS";
                };
                long id = client.statement(q).path("flow").path("id").asLong();
                assertThat(id).as("flow %d of %d started: %s", i + 1, FLOWS, q).isPositive();
                ids.add(id);
                AtomicLong sum = new AtomicLong();
                sums.add(sum);
                if (i % 3 == 2) {
                    server.engine().flow(id).orElseThrow().subscribe((Row r) -> sum.addAndGet((Long) r.value(1)));
                }
            }
            try (RawRegistration reg = new RawRegistration(server.address().getPort(), server.token(), "a1", "r1")) {
                assertThat(reg.next()).isEqualTo("{\"tees\":[\"r1\"]}");
                for (int b = 0; b < BATCHES; b++) {
                    HttpResponse<String> r = client.send(client.request("/v1/nodes/a1/tees/r1")
                            .header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofString(batch(b * BATCH))).build());
                    assertThat(r.statusCode()).isEqualTo(204);
                }
                await().atMost(Duration.ofSeconds(120)).until(() -> minAccounted(server, ids) == EVENTS);
            }
            // events are 10 ms apart: 20 windows of 10 s; the last is still open (watermark = max - 200 ms)
            for (int i = 0; i < FLOWS; i++) {
                Flow f = server.engine().flow(ids.get(i)).orElseThrow();
                FlowCounters c = f.counters();
                assertThat(f.state()).isEqualTo(Flow.State.RUNNING);
                assertThat(c.eventsIn()).as("events flow %d saw", f.id()).isEqualTo(EVENTS);
                assertThat(c.dropped()).as("events flow %d dropped", f.id()).isZero();
                switch (i % 3) {
                    case 0 -> assertThat(c.rowsOut()).isEqualTo(EVENTS / 2);
                    case 1 -> assertThat(c.rowsOut()).isEqualTo(EVENTS);
                    default -> {
                        assertThat(c.rowsOut()).isEqualTo(19 * 4);
                        assertThat(sums.get(i).get()).isEqualTo(19 * 1000);
                    }
                }
            }
        }
    }

    /** The fewest events a flow has seen or dropped. */
    private static long minAccounted(SqlServer server, List<Long> ids) {
        long min = Long.MAX_VALUE;
        for (long id : ids) {
            FlowCounters c = server.engine().flow(id).orElseThrow().counters();
            min = Math.min(min, c.eventsIn() + c.dropped());
        }
        return min;
    }

    /** {@value #BATCH} tee events from {@code first}: body "n,k" with k = n % 4, 10 ms apart. */
    private static String batch(int first) {
        StringBuilder sb = new StringBuilder();
        for (int n = first; n < first + BATCH; n++) {
            String body = n + ",k" + n % 4;
            sb.append("{\"headers\":{\"timestamp\":\"").append(T0 + n * 10L).append("\"},\"body\":\"")
                    .append(Base64.getEncoder().encodeToString(body.getBytes(StandardCharsets.UTF_8))).append("\"}\n");
        }
        return sb.toString();
    }
}
