package io.sluice.sql;

import io.sluice.api.Event;
import io.sluice.sql.EngineTestSupport.Collector;
import io.sluice.sql.pool.PoolProbeFunctions;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Flows on the engine's flow pool: they run at once on different threads, each sees its rows in
 * order with the same results as without a pool, a tee-fed (NODE) flow that falls behind drops and
 * counts, and a Java input waits for a full flow.
 */
class FlowPoolTest {
    private static final List<Column> XS = List.of(new Column("x", SqlType.INT));

    @TempDir
    Path dir;

    @BeforeEach
    void resetProbes() {
        PoolProbeFunctions.THREADS.clear();
        PoolProbeFunctions.meet = new CountDownLatch(0);
        PoolProbeFunctions.gate = new CountDownLatch(0);
    }

    /** An engine that also knows MEET and HOLD (through a class loader only this test uses). */
    private RtsqlEngine engine(EngineOptions.Builder options) throws IOException {
        Path svc = dir.resolve("probes/META-INF/services/io.sluice.sql.function.ScalarFunction");
        Files.createDirectories(svc.getParent());
        Files.writeString(svc, PoolProbeFunctions.Meet.class.getName() + "\n" + PoolProbeFunctions.Hold.class.getName()
                + "\n");
        Thread t = Thread.currentThread();
        ClassLoader before = t.getContextClassLoader();
        try (URLClassLoader cl = new URLClassLoader(new URL[] {dir.resolve("probes").toUri().toURL()},
                getClass().getClassLoader())) {
            t.setContextClassLoader(cl);
            return new RtsqlEngine(options.build());
        } finally {
            t.setContextClassLoader(before);
        }
    }

    @Test
    void twoFlowsOverOneStreamAreInsideTheirOperatorsAtTheSameMoment() throws Exception {
        PoolProbeFunctions.meet = new CountDownLatch(2);
        try (RtsqlEngine e = engine(EngineOptions.builder().flowThreads(2))) {
            StreamInput in = e.createInputStream("s", XS);
            Collector a = new Collector();
            Collector b = new Collector();
            e.execute("SELECT x FROM s WHERE MEET(x)", a);
            e.execute("SELECT x + 1 AS y FROM s WHERE MEET(x)", b);
            in.push(new Object[] {7}, 1_000);
            // MEET is true only when both flows called it before either gave up waiting (10 s):
            // one thread delivering to the flows in turn would make the first one false
            await().atMost(Duration.ofSeconds(30)).until(() -> a.rows.size() == 1 && b.rows.size() == 1);
            assertThat(a.rows.get(0).values()).containsExactly(7);
            assertThat(b.rows.get(0).values()).containsExactly(8);
            assertThat(PoolProbeFunctions.THREADS).hasSize(2).allMatch(n -> n.startsWith("rtsql-worker-"));
        }
    }

    @Test
    void eachFlowSeesItsRowsInOrderWithTheSameResultsAsWithoutAPool() throws Exception {
        List<List<String>> inline = runMix(EngineOptions.builder().flowThreads(0));
        List<List<String>> pooled = runMix(EngineOptions.builder().flowThreads(2).flowQueueRows(64));
        assertThat(inline.get(0)).hasSize(20_000 / 3 + 1);
        assertThat(inline.get(1)).hasSize(20_000);
        assertThat(inline.get(2)).isNotEmpty();
        assertThat(pooled).isEqualTo(inline);
    }

    /** Filters, projections and a tumbling aggregate over one stream, fed singly, in batches and as events. */
    private List<List<String>> runMix(EngineOptions.Builder options) throws Exception {
        try (RtsqlEngine e = engine(options)) {
            StreamInput in = e.createInputStream("s", List.of(new Column("k", SqlType.STRING),
                    new Column("v", SqlType.INT)));
            String[] queries = {"SELECT v FROM s WHERE v % 3 = 0",
                "SELECT k, v * 2 AS d FROM s",
                "SELECT k, COUNT(*) AS c, SUM(v) AS t, WINDOW_START() AS w FROM s GROUP BY k"
                        + " OVER TUMBLING INTERVAL 1 SECONDS",
                "SELECT k, v FROM s WHERE k = 'k1' AND v > 100"};
            List<Collector> out = new ArrayList<>();
            List<Flow> flows = new ArrayList<>();
            for (String q : queries) {
                Collector c = new Collector();
                out.add(c);
                flows.add(e.execute(q, c).flow().orElseThrow());
            }
            int v = 0;
            while (v < 20_000) {
                long time = 1_000_000L + v * 7L;
                switch ((v / 100) % 3) {
                    case 0 -> {
                        in.push(new Object[] {"k" + v % 5, v}, time);
                        v++;
                    }
                    case 1 -> {
                        Object[][] rows = new Object[50][];
                        long[] times = new long[50];
                        for (int i = 0; i < 50; i++) {
                            rows[i] = new Object[] {"k" + (v + i) % 5, v + i};
                            times[i] = 1_000_000L + (v + i) * 7L;
                        }
                        in.pushBatch(rows, times, 50);
                        v += 50;
                    }
                    default -> {
                        List<Event> events = new ArrayList<>();
                        for (int i = 0; i < 25; i++) {
                            events.add(Event.wrap(Map.of("timestamp", Long.toString(1_000_000L + (v + i) * 7L)),
                                    ("k" + (v + i) % 5 + "," + (v + i)).getBytes(StandardCharsets.UTF_8)));
                        }
                        in.pushEvents(events);
                        v += 25;
                    }
                }
            }
            in.end();
            List<List<String>> results = new ArrayList<>();
            for (int i = 0; i < flows.size(); i++) {
                Flow f = flows.get(i);
                assertThat(f.awaitEnd(Duration.ofSeconds(60))).as("flow %s ended", f.id()).isTrue();
                assertThat(f.failure()).isEmpty();
                assertThat(f.counters().eventsIn()).isEqualTo(20_000);
                assertThat(f.counters().dropped()).isZero();
                List<String> lines = new ArrayList<>();
                synchronized (out.get(i).rows) {
                    for (Row r : out.get(i).rows) {
                        lines.add(r.eventTime() + ":" + r.values());
                    }
                }
                results.add(lines);
            }
            return results;
        }
    }

    @Test
    void aTeeFedFlowThatStaysFullDropsAndCountsAfterTheWait() throws Exception {
        PoolProbeFunctions.gate = new CountDownLatch(1);
        CapturingProvider node = new CapturingProvider();
        try (RtsqlEngine e = engine(EngineOptions.builder().flowThreads(2).flowQueueRows(10).flowQueueWaitMillis(100)
                .eventSource(node))) {
            e.execute("CREATE STREAM t (x INT) FROM NODE 'a1.r1'");
            Collector held = new Collector();
            Flow f = e.execute("SELECT x FROM t WHERE HOLD(x)", held).flow().orElseThrow();
            // the first batch is taken and held inside HOLD, the second fills the queue (10 rows),
            // the other eight wait 100 ms each for room, then are dropped for this flow and counted
            for (int b = 0; b < 10; b++) {
                List<Event> batch = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    batch.add(Event.wrap(Map.of("timestamp", "1000"), Integer.toString(b * 5 + i)
                            .getBytes(StandardCharsets.UTF_8)));
                }
                node.sink.acceptBatch(batch);
            }
            PoolProbeFunctions.gate.countDown();
            await().atMost(Duration.ofSeconds(30)).until(() -> held.rows.size() == 10);
            FlowCounters c = f.counters();
            assertThat(c.eventsIn()).isEqualTo(10);
            assertThat(c.dropped()).isEqualTo(40);
            assertThat(held.rows).extracting(r -> r.value(0)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    @Test
    void aJavaInputWaitsWhileAFlowsQueueIsFullAndLosesNothing() throws Exception {
        PoolProbeFunctions.gate = new CountDownLatch(1);
        try (RtsqlEngine e = engine(EngineOptions.builder().flowThreads(1).flowQueueRows(4))) {
            StreamInput in = e.createInputStream("s", XS);
            Collector held = new Collector();
            Flow f = e.execute("SELECT x FROM s WHERE HOLD(x)", held).flow().orElseThrow();
            Thread pusher = new Thread(() -> {
                for (int i = 0; i < 20; i++) {
                    in.push(new Object[] {i}, 1_000 + i);
                }
            }, "pusher");
            pusher.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> pusher.getState() == Thread.State.TIMED_WAITING
                    || pusher.getState() == Thread.State.WAITING);
            assertThat(pusher.isAlive()).isTrue();
            PoolProbeFunctions.gate.countDown();
            pusher.join(30_000);
            assertThat(pusher.isAlive()).isFalse();
            await().atMost(Duration.ofSeconds(30)).until(() -> held.rows.size() == 20);
            assertThat(held.rows).extracting(r -> r.value(0)).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11,
                    12, 13, 14, 15, 16, 17, 18, 19);
            assertThat(f.counters().dropped()).isZero();
        }
    }

    /** A NODE provider that hands its sink to the test. */
    private static final class CapturingProvider implements EventSourceProvider {
        volatile EventSink sink;

        @Override
        public boolean supports(String kind, String target) {
            return kind.equals("NODE");
        }

        @Override
        public AutoCloseable open(String kind, String target, Map<String, String> properties, EventSink s) {
            this.sink = s;
            return () -> { };
        }
    }
}
