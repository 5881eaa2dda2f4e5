package io.sluice.sql.agent.metrics;

import com.sun.net.httpserver.HttpServer;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.metrics.sink.MetricsSink;
import io.sluice.sql.EngineOptions;
import io.sluice.sql.Flow;
import io.sluice.sql.Row;
import io.sluice.sql.RowListener;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.RtsqlException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * {@code CREATE STREAM m FROM METRICS ...} end to end, in one process over real sockets: a test
 * exporter whose values the test sets, an agent whose {@code prometheus} source scrapes it every
 * second into a {@code metrics} sink, and an rtsql engine reading the sink's query API. The alert
 * query's rows are checked against the same average computed here from what the exporter served.
 */
class MetricsStreamTest {
    private static final String TOKEN = "metrics-tok";
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int ROUNDS = 6;

    @TempDir
    Path dir;

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    /** An exporter that serves one round of samples per scrape once armed, each with its own timestamp. */
    private static final class Exporter implements AutoCloseable {
        final HttpServer server;
        final AtomicBoolean armed = new AtomicBoolean();
        final AtomicInteger round = new AtomicInteger();
        final List<String> bodies;

        Exporter(List<String> bodies) throws IOException {
            this.bodies = bodies;
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/metrics", x -> {
                String body = "other_metric 1\n";
                if (armed.get()) {
                    int i = round.getAndIncrement();
                    if (i < bodies.size()) {
                        body = bodies.get(i);
                    }
                }
                byte[] b = body.getBytes(StandardCharsets.UTF_8);
                x.getResponseHeaders().set("Content-Type", "text/plain; version=0.0.4");
                x.sendResponseHeaders(200, b.length);
                try (OutputStream out = x.getResponseBody()) {
                    out.write(b);
                }
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    private MetricsSink agent(int exporterPort) throws Exception {
        return agent(exporterPort, 0);
    }

    private MetricsSink agent(int exporterPort, int queryPort) throws Exception {
        return agent(exporterPort, queryPort, TOKEN);
    }

    private MetricsSink agent(int exporterPort, int queryPort, String token) throws Exception {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("a1.sources", "scrape");
        p.put("a1.channels", "c1");
        p.put("a1.sinks", "store");
        p.put("a1.sources.scrape.type", "prometheus");
        p.put("a1.sources.scrape.targets", "127.0.0.1:" + exporterPort);
        p.put("a1.sources.scrape.interval", "1");
        p.put("a1.sources.scrape.labels.env", "test");
        p.put("a1.sources.scrape.channels", "c1");
        p.put("a1.channels.c1.type", "memory");
        p.put("a1.sinks.store.type", "metrics");
        p.put("a1.sinks.store.snapshot.file", "none");
        p.put("a1.sinks.store.query.port", Integer.toString(queryPort));
        p.put("a1.sinks.store.query.token", token);
        p.put("a1.sinks.store.channel", "c1");
        Agent agent = Agent.create(AgentSpec.fromProperties("a1", p, dir));
        toClose.add(agent);
        agent.start();
        MetricsSink sink = (MetricsSink) agent.sinks().get("store");
        await().atMost(WAIT).until(() -> sink.queryPort() > 0);
        return sink;
    }

    private RtsqlEngine engine() {
        RtsqlEngine engine = new RtsqlEngine(EngineOptions.builder().baseDirectory(dir).build());
        toClose.add(engine);
        return engine;
    }

    private static final class Rows implements RowListener {
        final List<Row> rows = new CopyOnWriteArrayList<>();

        @Override
        public void onRow(Row row) {
            rows.add(row);
        }
    }

    @Test
    void anAlertQueryOverScrapedSamplesMatchesTheAverageComputedFromWhatWasServed() throws Exception {
        long t0 = (System.currentTimeMillis() / 1000 - 120) * 1000;
        Random random = new Random(19);
        String[][] hosts = {{"h1", "r1", "jb"}, {"h2", "r1", "jb"}, {"h3", "r2", "jb"}, {"h4", "r2", "jb"},
                {"h5", "r1", "par"}};
        List<String> bodies = new ArrayList<>();
        // expected[(window start, rack)] = the rack's jb temperatures of that round
        Map<String, List<Double>> served = new TreeMap<>();
        for (int i = 0; i < ROUNDS; i++) {
            long ts = t0 + i * 1000L + 300;
            StringBuilder b = new StringBuilder("# TYPE temperature gauge\n");
            for (String[] h : hosts) {
                double v = 30 + random.nextInt(200) / 10.0;
                b.append("temperature{host=\"").append(h[0]).append("\",rack=\"").append(h[1]).append("\",dc=\"")
                        .append(h[2]).append("\"} ").append(v).append(' ').append(ts).append('\n');
                if (h[2].equals("jb")) {
                    served.computeIfAbsent((t0 + i * 1000L) + "," + h[1], k -> new ArrayList<>()).add(v);
                }
            }
            b.append("humidity{host=\"h1\",rack=\"r1\",dc=\"jb\"} 99 ").append(ts).append('\n');
            bodies.add(b.toString());
        }
        Exporter exporter = new Exporter(bodies);
        toClose.add(exporter);
        MetricsSink sink = agent(exporter.port());
        Path tokenFile = Files.writeString(dir.resolve("a1-query.token"), TOKEN + "\n");

        RtsqlEngine engine = engine();
        engine.execute("CREATE STREAM m FROM METRICS 'temperature{dc=\"jb\"}' PROPERTIES ('url' = 'http://127.0.0.1:"
                + sink.queryPort() + "', 'token-file' = '" + tokenFile + "')");
        Rows got = new Rows();
        Flow flow = engine.execute("SELECT labels['rack'] AS rack, AVG(value) AS a, COUNT(*) AS n,"
                + " WINDOW_START() AS ws FROM m GROUP BY labels['rack'] OVER TUMBLING INTERVAL 1 SECONDS"
                + " HAVING AVG(value) > 40", got).flow().orElseThrow();
        exporter.armed.set(true);

        // the independent computation: per round (a 1 s window) and rack, the mean of what was served
        List<String> expected = new ArrayList<>();
        for (Map.Entry<String, List<Double>> e : served.entrySet()) {
            long ws = Long.parseLong(e.getKey().split(",")[0]);
            double mean = e.getValue().stream().mapToDouble(Double::doubleValue).sum() / e.getValue().size();
            // the last round's window closes only when a later sample arrives: not in this run
            if (ws < t0 + (ROUNDS - 1) * 1000L && mean > 40) {
                expected.add(ws + "," + e.getKey().split(",")[1] + "," + mean + "," + e.getValue().size());
            }
        }
        assertThat(expected).as("the seed gives some alerts").hasSizeGreaterThan(1);
        assertThat(served.size() - expected.size()).as("and some quiet windows").isGreaterThan(2);
        await().atMost(WAIT).until(() -> exporter.round.get() >= ROUNDS);
        await().atMost(WAIT).untilAsserted(() -> assertThat(actual(got)).containsExactlyInAnyOrderElementsOf(expected));
        assertThat(flow.counters().rejected()).isZero();
    }

    private static List<String> actual(Rows got) {
        List<String> out = new ArrayList<>();
        for (Row r : got.rows) {
            out.add(r.value(3) + "," + r.value(0) + "," + r.value(1) + "," + r.value(2));
        }
        return out;
    }

    /**
     * A flow started before its agent (a persisted flow at the rtsql server's restart): the query API
     * refuses connections, the flow waits and retries, and reads the samples once the agent is up.
     */
    @Test
    void aFlowStartedBeforeTheAgentWaitsForItsQueryApiAndThenReadsIt() throws Exception {
        int queryPort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            queryPort = probe.getLocalPort();
        }
        StringBuilder body = new StringBuilder("# TYPE temperature gauge\n");
        body.append("temperature{host=\"h1\",dc=\"jb\"} 42.5\n");
        Exporter exporter = new Exporter(List.of(body.toString(), body.toString(), body.toString(), body.toString()));
        toClose.add(exporter);
        Path tokenFile = Files.writeString(dir.resolve("a1-query.token"), TOKEN + "\n");
        RtsqlEngine engine = new RtsqlEngine(EngineOptions.builder().baseDirectory(dir)
                .eventSource(new MetricsStreamProvider(Duration.ofMillis(100), Duration.ofMillis(400))).build());
        toClose.add(engine);
        engine.execute("CREATE STREAM m FROM METRICS 'temperature{dc=\"jb\"}' PROPERTIES ('url' = 'http://127.0.0.1:"
                + queryPort + "', 'token-file' = '" + tokenFile + "')");
        Rows got = new Rows();
        // nothing listens on the query port yet: the flow starts and waits instead of failing
        Flow flow = engine.execute("SELECT labels['host'] AS host, value FROM m", got).flow().orElseThrow();
        // and says so where the flow list can show it, not only in the log
        assertThat(engine.waitingReason("m")).hasValueSatisfying(why -> assertThat(why)
                .startsWith("waiting for the metrics query API").contains("http://127.0.0.1:" + queryPort));

        MetricsSink sink = agent(exporter.port(), queryPort);
        assertThat(sink.queryPort()).isEqualTo(queryPort);
        exporter.armed.set(true);
        await().atMost(WAIT).untilAsserted(() -> assertThat(got.rows).isNotEmpty());
        assertThat(got.rows.get(0).value(0)).isEqualTo("h1");
        assertThat(got.rows.get(0).value(1)).isEqualTo(42.5);
        assertThat(flow.counters().rejected()).isZero();
        assertThat(engine.waitingReason("m")).isEmpty();
    }

    @Test
    void aWrongUrlTokenOrSelectorFailsTheFlowWithWhatToFix() throws Exception {
        Exporter exporter = new Exporter(List.of());
        toClose.add(exporter);
        MetricsSink sink = agent(exporter.port());
        RtsqlEngine engine = engine();
        String url = "http://127.0.0.1:" + sink.queryPort();
        engine.execute("CREATE STREAM wrong_token FROM METRICS 'temperature' PROPERTIES ('url' = '" + url
                + "', 'token' = 'nope')");
        assertThatThrownBy(() -> engine.execute("SELECT * FROM wrong_token", new Rows()))
                .hasMessageContaining("refused the token (401)").hasMessageContaining("token-file");
        engine.execute("CREATE STREAM bad_selector FROM METRICS 'temperature{dc=jb}' PROPERTIES ('url' = '" + url
                + "', 'token' = '" + TOKEN + "')");
        assertThatThrownBy(() -> engine.execute("SELECT * FROM bad_selector", new Rows()))
                .hasMessageContaining("refused METRICS 'temperature{dc=jb}' (400)")
                .hasMessageContaining("expected a quoted value");
        engine.execute("CREATE STREAM wrong_port FROM METRICS 'temperature' PROPERTIES ('url' = 'http://127.0.0.1:"
                + exporter.port() + "', 'token' = '" + TOKEN + "')");
        assertThatThrownBy(() -> engine.execute("SELECT * FROM wrong_port", new Rows()))
                .hasMessageContaining("has no /api/v1/stream (404)");
        engine.execute("CREATE STREAM no_url FROM METRICS 'temperature' PROPERTIES ('tokn' = 'x')");
        assertThatThrownBy(() -> engine.execute("SELECT * FROM no_url", new Rows()))
                .hasMessageContaining("'url' is required").hasMessageContaining("unknown property 'tokn'")
                .hasMessageContaining("did you mean 'token'");
    }

    /**
     * A running feed whose query API later answers 401 (the agent came back with another token) or
     * 404 (the port now serves something else) fails its flow with what to fix, instead of asking
     * again forever; a refused connection in between is still waited for.
     */
    @Test
    void aRefusalOnALaterReconnectFailsTheFlowWithWhatToFix() throws Exception {
        StringBuilder body = new StringBuilder("# TYPE temperature gauge\n");
        body.append("temperature{host=\"h1\",dc=\"jb\"} 42.5\n");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            bodies.add(body.toString());
        }
        Exporter exporter = new Exporter(bodies);
        toClose.add(exporter);
        exporter.armed.set(true);
        MetricsSink first = agent(exporter.port());
        int queryPort = first.queryPort();
        RtsqlEngine engine = new RtsqlEngine(EngineOptions.builder().baseDirectory(dir)
                .eventSource(new MetricsStreamProvider(Duration.ofMillis(100), Duration.ofMillis(400))).build());
        toClose.add(engine);
        String url = "http://127.0.0.1:" + queryPort;
        engine.execute("CREATE STREAM m FROM METRICS 'temperature' PROPERTIES ('url' = '" + url + "', 'token' = '"
                + TOKEN + "')");
        Rows got = new Rows();
        Flow flow = engine.execute("SELECT value FROM m", got).flow().orElseThrow();
        await().atMost(WAIT).untilAsserted(() -> assertThat(got.rows).isNotEmpty());

        // the agent restarts on the same port with a new token: the feed's reconnect is answered 401
        Agent.class.cast(toClose.get(toClose.size() - 2)).stop();
        agent(exporter.port(), queryPort, "another-token");
        await().atMost(WAIT).until(() -> flow.state() == Flow.State.FAILED);
        assertThat(flow.failure().orElseThrow().getMessage()).contains("stream 'm'", "refused the token (401)",
                "token-file");

        // the new token: read again, then the port goes to a server without the stream API: 404
        engine.execute("CREATE STREAM m2 FROM METRICS 'temperature' PROPERTIES ('url' = '" + url + "', 'token' = '"
                + "another-token')");
        Rows got2 = new Rows();
        Flow flow2 = engine.execute("SELECT value FROM m2", got2).flow().orElseThrow();
        await().atMost(WAIT).untilAsserted(() -> assertThat(got2.rows).isNotEmpty());
        Agent.class.cast(toClose.get(toClose.size() - 1)).stop();
        HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), queryPort), 0);
        other.createContext("/", x -> {
            x.sendResponseHeaders(404, -1);
            x.close();
        });
        other.start();
        toClose.add(() -> other.stop(0));
        await().atMost(WAIT).until(() -> flow2.state() == Flow.State.FAILED);
        assertThat(flow2.failure().orElseThrow().getMessage()).contains("stream 'm2'", "has no /api/v1/stream (404)");
    }

    @Test
    void describeShowsTheColumnsOfAMetricsStream() throws Exception {
        RtsqlEngine engine = engine();
        engine.execute("CREATE STREAM m FROM METRICS 'up' PROPERTIES ('url' = 'http://127.0.0.1:1', 'token' = 't')");
        String described = engine.execute("DESCRIBE m").rows().toString();
        assertThat(described).contains("name", "labels", "MAP<STRING, STRING>", "value", "DOUBLE", "ts", "TIMESTAMP",
                "text");
        assertThatThrownBy(() -> engine.execute("CREATE STREAM m2 FROM METRICS up"))
                .isInstanceOf(RtsqlException.class);
    }
}
