package io.sluice.metrics.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.testing.EmbeddedAgent;
import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Debian's real {@code prometheus-node-exporter} scraped every second by two independent scrapers:
 * Debian's real {@code prometheus} 2.42 (its own config and data directory) and a Sluice agent's
 * {@code prometheus} source feeding the {@code metrics} sink's store. Both are then asked the same
 * questions over the same 10-second buckets: per series {@code rate(node_cpu_seconds_total)} and
 * {@code avg by (mode) (rate(node_cpu_seconds_total))} (Sluice's {@code /api/v1/query_range} at a
 * 10 s step against Prometheus' {@code rate(node_cpu_seconds_total[10s])}), and the label sets of a
 * sample of the exporter's metric families ({@code /api/v1/series} of both).
 *
 * <p><b>Tolerance.</b> Let C be one CPU's counter of seconds in one mode, R = 10 s the bucket, and
 * A = (C(b + R) - C(b)) / R the true rate over the bucket {@code [b, b + R)}. One CPU spends at most
 * one second per second in a mode, so C grows by at most g over any g seconds. Each scraper reads
 * the counter every I seconds, where I is the 1 s interval plus scheduling delay; on this shared
 * 2-core machine the test allows I = 1.5 s.
 * <ul>
 *   <li>Sluice's rate at bucket b is (last(b) - last(b - R)) / R, its last samples s1 in
 *       [b - I, b) and s2 in [b + R - I, b + R); it differs from A by (C(s1..b) - C(s2..b+R)) / R,
 *       each increase in [0, I]: at most I / R.</li>
 *   <li>Prometheus' rate at b + R fits a slope through its first and last samples p1 and p2 in
 *       {@code (b, b + R]} and extrapolates it over the gaps g1 = p1 - b and g2 = b + R - p2 (each
 *       under 1.1 scrape intervals, so to the window's edges); on each gap the extrapolated and the
 *       true increases both lie in [0, g]: at most (g1 + g2) / R &lt;= 2 I / R.</li>
 *   <li>The kernel counts in ticks of 10 ms: four readings, 0.04 / R; the store keeps a bucket's
 *       last value within 1/8190 of its span (at most R seconds of CPU): 2 / 8190.</li>
 * </ul>
 * So the two answers agree within (3 I + 0.04) / R + 2 / 8190 = 0.454 per point, per series and for
 * the average over CPUs alike; the test prints the largest difference it saw.
 *
 * <p>Both programs must be installed (they are listed in {@code .ci/packages}): the test fails,
 * never skips, when one is missing. Every process it starts is killed ({@code kill -9}) at the end,
 * failed or not. Runs in about 35 s.
 */
class NodeExporterAgainstPrometheusTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path NODE_EXPORTER = Path.of("/usr/bin/prometheus-node-exporter");
    private static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");
    private static final long STEP_SECONDS = 10;
    private static final double SCRAPE_SPAN_SECONDS = 1.5;
    static final double TOLERANCE = (3 * SCRAPE_SPAN_SECONDS + 0.04) / STEP_SECONDS + 2.0 / 8190;
    /**
     * Families whose series (labels included) must arrive in Sluice exactly as Prometheus has them.
     * File systems only at /: other tests on the machine mount and unmount tmpfs directories, which
     * one scraper may see and the other miss.
     */
    private static final List<String> FAMILIES = List.of("node_cpu_seconds_total", "node_load1",
            "node_memory_MemAvailable_bytes", "node_filesystem_size_bytes{mountpoint=\"/\",",
            "node_network_receive_bytes_total", "node_uname_info", "node_exporter_build_info", "node_time_seconds",
            "up");

    @TempDir
    Path dir;
    private final List<Process> processes = new ArrayList<>();
    private EmbeddedAgent agent;
    private final HttpClient http = HttpClient.newHttpClient();

    @AfterEach
    void killEverything() throws Exception {
        try {
            if (agent != null) {
                agent.close();
            }
        } finally {
            for (Process p : processes) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    private Process start(Path program, String name, String... args) throws IOException {
        assertThat(Files.isExecutable(program)).as(program + " is missing: install the Debian package (it is"
                + " listed in .ci/packages; bin/test installs it): apt-get install -y " + name).isTrue();
        List<String> cmd = new ArrayList<>();
        cmd.add(program.toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        processes.add(p);
        return p;
    }

    private JsonNode get(int port, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s: %s", path, r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    private boolean answers(int port, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** A matrix answer as labels to (time in seconds to value). */
    private static Map<Map<String, String>, Map<Long, Double>> matrix(JsonNode answer) {
        assertThat(answer.get("status").asText()).isEqualTo("success");
        Map<Map<String, String>, Map<Long, Double>> out = new TreeMap<>(NodeExporterAgainstPrometheusTest::compare);
        for (JsonNode s : answer.at("/data/result")) {
            Map<Long, Double> points = new TreeMap<>();
            for (JsonNode p : s.get("values")) {
                points.put(Math.round(p.get(0).asDouble()), Double.parseDouble(p.get(1).asText()));
            }
            out.put(labels(s.get("metric")), points);
        }
        return out;
    }

    private static Map<String, String> labels(JsonNode o) {
        Map<String, String> labels = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = o.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            labels.put(e.getKey(), e.getValue().asText());
        }
        return labels;
    }

    private static int compare(Map<String, String> a, Map<String, String> b) {
        return a.toString().compareTo(b.toString());
    }

    /** Both sides' raw readings around a bucket, shown when they disagree. */
    private String rawAround(Map<String, String> labels, long b, int queryPort, int promPort) throws Exception {
        Map<String, String> m = new TreeMap<>(labels);
        m.remove("__name__");
        StringBuilder sel = new StringBuilder("node_cpu_seconds_total{");
        m.forEach((k, v) -> sel.append(k).append("=\"").append(v).append("\","));
        sel.setLength(sel.length() - 1);
        sel.append('}');
        JsonNode prom = get(promPort, "/api/v1/query?query=" + enc(sel + "[25s]") + "&time=" + (b + STEP_SECONDS
                + 2), null);
        JsonNode sluice = get(queryPort, "/api/query?q=" + enc(sel.toString()) + "&from=" + (b - STEP_SECONDS) * 1000
                + "&to=" + (b + STEP_SECONDS) * 1000 + "&resolution=1000", "secret");
        JsonNode coarse = get(queryPort, "/api/query?q=" + enc(sel.toString()) + "&from=" + (b - STEP_SECONDS) * 1000
                + "&to=" + (b + STEP_SECONDS) * 1000 + "&resolution=10000", "secret");
        return "Prometheus' raw samples: " + prom.at("/data/result/0/values") + "\nSluice at 1 s: " + sluice
                + "\nSluice at 10 s: " + coarse;
    }

    @Test
    void rateAndAvgByAgreeWithPrometheusScrapingTheSameNodeExporter() throws Exception {
        int exporterPort = FreePorts.tcp();
        String target = "127.0.0.1:" + exporterPort;
        // systemd's collector needs the system bus, which a build machine or container may lack
        start(NODE_EXPORTER, "prometheus-node-exporter", "--web.listen-address=" + target,
                "--no-collector.systemd");
        int promPort = FreePorts.tcp();
        Path config = dir.resolve("prometheus.yml");
        Files.writeString(config, """
                global:
                  scrape_interval: 1s
                  scrape_timeout: 1s
                scrape_configs:
                  - job_name: node
                    static_configs:
                      - targets: ['%s']
                """.formatted(target));
        start(PROMETHEUS, "prometheus", "--config.file=" + config, "--storage.tsdb.path=" + dir.resolve("data"),
                "--web.listen-address=127.0.0.1:" + promPort, "--log.level=warn");
        await().atMost(Duration.ofSeconds(20)).until(() -> answers(exporterPort, "/metrics"));
        agent = EmbeddedAgent.start("a1", """
                a1.sources = scrape
                a1.channels = c1
                a1.sinks = store
                a1.sources.scrape.type = prometheus
                a1.sources.scrape.targets = %s
                a1.sources.scrape.job = node
                a1.sources.scrape.interval = 1
                a1.sources.scrape.timeout = 1
                a1.sources.scrape.channels = c1
                a1.channels.c1.type = memory
                a1.channels.c1.capacity = 100
                a1.sinks.store.type = metrics
                a1.sinks.store.rings = 120x1s,30x10s
                a1.sinks.store.snapshot.file = none
                a1.sinks.store.query.port = 0
                a1.sinks.store.query.token = secret
                a1.sinks.store.channel = c1
                """.formatted(target));
        int queryPort = agent.sink("store", MetricsSink.class).queryPort();
        await().atMost(Duration.ofSeconds(30)).until(() -> answers(promPort, "/-/ready"));
        long started = System.currentTimeMillis();
        // b0 holds the first samples of both; the compared points are the buckets b1 and b2 after it
        long b0 = Math.floorDiv(started / 1000 + 2, STEP_SECONDS) * STEP_SECONDS;
        long b1 = b0 + STEP_SECONDS;
        long b2 = b1 + STEP_SECONDS;
        // b2 closes at b2 + 10 s; a scrape after it folds it into the 10 s ring and Prometheus' window
        long after = b2 + STEP_SECONDS;
        String promB2 = "/api/v1/query_range?query=" + enc("rate(node_cpu_seconds_total[10s])") + "&start=" + after
                + "&end=" + after + "&step=" + STEP_SECONDS;
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> System.currentTimeMillis() >= (after + 2) * 1000
                        && !matrix(get(promPort, promB2, null)).isEmpty());

        String[][] queries = {
            {"rate(node_cpu_seconds_total)", "rate(node_cpu_seconds_total[10s])"},
            {"avg by (mode) (rate(node_cpu_seconds_total))", "avg by (mode) (rate(node_cpu_seconds_total[10s]))"},
        };
        StringBuilder report = new StringBuilder();
        for (String[] q : queries) {
            // Sluice labels a bucket by its start, Prometheus a rate by its window's end
            Map<Map<String, String>, Map<Long, Double>> sluice = matrix(get(queryPort, "/api/v1/query_range?query="
                    + enc(q[0]) + "&start=" + b0 + "&end=" + b2 + "&step=" + STEP_SECONDS, "secret"));
            Map<Map<String, String>, Map<Long, Double>> prom = matrix(get(promPort, "/api/v1/query_range?query="
                    + enc(q[1]) + "&start=" + (b1 + STEP_SECONDS) + "&end=" + (b2 + STEP_SECONDS) + "&step="
                    + STEP_SECONDS, null));
            assertThat(prom).as("Prometheus' answer to " + q[1]).isNotEmpty();
            assertThat(new TreeSet<>(sluice.keySet().stream().map(Object::toString).toList())).as(q[0])
                    .isEqualTo(new TreeSet<>(prom.keySet().stream().map(Object::toString).toList()));
            double worst = 0;
            String worstAt = "";
            int points = 0;
            for (Map.Entry<Map<String, String>, Map<Long, Double>> e : prom.entrySet()) {
                Map<Long, Double> mine = sluice.get(e.getKey());
                for (long b : new long[] {b1, b2}) {
                    Double want = e.getValue().get(b + STEP_SECONDS);
                    Double got = mine.get(b);
                    assertThat(want).as("Prometheus' %s %s at %d", q[1], e.getKey(), b + STEP_SECONDS).isNotNull();
                    assertThat(got).as("Sluice's %s %s at %d", q[0], e.getKey(), b).isNotNull();
                    double diff = Math.abs(got - want);
                    if (diff > TOLERANCE) {
                        System.out.println(rawAround(e.getKey(), b, queryPort, promPort));
                    }
                    assertThat(diff).as("%s %s over [%d, %d): Sluice %s, Prometheus %s (tolerance %.3f)", q[0],
                            e.getKey(), b, b + STEP_SECONDS, got, want, TOLERANCE).isLessThanOrEqualTo(TOLERANCE);
                    points++;
                    if (diff >= worst) {
                        worst = diff;
                        worstAt = e.getKey() + " at " + b + ": Sluice " + got + ", Prometheus " + want;
                    }
                }
            }
            report.append(String.format("%s: %d points, largest difference %.4f (tolerance %.3f), %s%n", q[0], points,
                    worst, TOLERANCE, worstAt));
        }

        for (String family : FAMILIES) {
            String match = (family.contains("{") ? family : family + "{") + "instance=\"" + target + "\"}";
            JsonNode mine = get(queryPort, "/api/v1/series?match[]=" + enc(match), "secret");
            JsonNode theirs = get(promPort, "/api/v1/series?match[]=" + enc(match), null);
            TreeSet<String> have = new TreeSet<>();
            mine.get("data").forEach(s -> have.add(labels(s).toString()));
            TreeSet<String> want = new TreeSet<>();
            theirs.get("data").forEach(s -> want.add(labels(s).toString()));
            assertThat(want).as("Prometheus' series of " + family).isNotEmpty();
            assertThat(have).as("the series of " + family + " with their labels").isEqualTo(want);
            report.append(family).append(": ").append(want.size()).append(" series, e.g. ").append(want.first())
                    .append('\n');
        }
        System.out.print(report);
    }
}
