package io.sluice.metrics.sink;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.metrics.store.MetricsStore;
import io.sluice.metrics.store.RingSpec;
import io.sluice.metrics.store.SeriesKey;
import io.sluice.metrics.store.ValueType;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks the query API's answers, over a real socket, against an independent computation in
 * Python 3 (src/test/resources/query_oracle.py) over the same raw samples. The tolerance of each
 * case follows from the store's stated precision (16 significant bits of a value's offset from its
 * ring's first value, 1/8190 of a bucket's span).
 */
class QueryOracleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long T0 = 1_799_996_400_000L;
    private static final long NOW = T0 + 41 * 60_000L;
    @TempDir
    Path dir;
    private final MetricsStore store = new MetricsStore(RingSpec.parseList(RingSpec.DEFAULT), 10_000);
    private final List<ObjectNode> samples = new ArrayList<>();
    private QueryServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private void add(String name, Map<String, String> labels, long t, double v) {
        store.add(SeriesKey.of(name, labels), ValueType.DOUBLE, t, v);
        ObjectNode s = JSON.createObjectNode();
        s.put("t", t);
        s.put("name", name);
        ObjectNode l = s.putObject("labels");
        labels.forEach(l::put);
        s.put("value", v);
        samples.add(s);
    }

    @BeforeEach
    void fill() throws IOException {
        Random r = new Random(2011);
        double[] counters = new double[12];
        double[] free = new double[24];
        for (int i = 0; i < 40; i++) {
            long minute = T0 + i * 60_000L;
            for (int h = 0; h < 12; h++) {
                Map<String, String> host = Map.of("host", "h" + h, "rack", "r" + (h % 4), "dc", h < 6 ? "jb" : "ld");
                if (!(h == 3 && r.nextInt(5) == 0)) {
                    add("temp", host, minute + 5_000, Math.round((20 + 5 * r.nextGaussian()) * 100) / 100.0);
                    add("temp", host, minute + 35_000, Math.round((20 + 5 * r.nextGaussian()) * 100) / 100.0);
                }
                counters[h] = (h == 2 && i == 20) ? 0 : counters[h] + r.nextInt(1000);
                add("req_total", Map.of("host", "h" + h, "dc", h < 6 ? "jb" : "ld"), minute + 10_000 + r.nextInt(40_000),
                        counters[h]);
                for (int v = 0; v < 2; v++) {
                    String volume = v == 0 ? "/var" : "/home";
                    free[2 * h + v] = i == 0 ? 4e10 + r.nextInt(1_000_000_000) : free[2 * h + v] - r.nextInt(10_000_000);
                    add("disk_free", Map.of("host", "h" + h, "volume", volume), minute + 20_000, free[2 * h + v]);
                    add("disk_size", Map.of("host", "h" + h, "volume", volume), minute + 20_000, 1e11);
                }
            }
        }
        server = QueryServer.start("a1.sinks.k1", store, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC),
                new QueryServer.Settings("127.0.0.1", 0, "secret", dir, "a1"));
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static ObjectNode sel(String name, String... match) {
        ObjectNode n = JSON.createObjectNode().put("kind", "select").put("name", name);
        ArrayNode m = n.putArray("match");
        for (int i = 0; i < match.length; i += 3) {
            m.addArray().add(match[i]).add(match[i + 1]).add(match[i + 2]);
        }
        return n;
    }

    private static ObjectNode fn(String f, ObjectNode arg, Double param) {
        ObjectNode n = JSON.createObjectNode().put("kind", "fn").put("fn", f);
        n.set("arg", arg);
        if (param != null) {
            n.put("param", param);
        }
        return n;
    }

    private static ObjectNode agg(String op, ObjectNode arg, String... by) {
        ObjectNode n = JSON.createObjectNode().put("kind", "agg").put("op", op);
        ArrayNode b = n.putArray("by");
        for (String l : by) {
            b.add(l);
        }
        n.set("arg", arg);
        return n;
    }

    private static ObjectNode bin(String op, ObjectNode l, ObjectNode r) {
        ObjectNode n = JSON.createObjectNode().put("kind", "bin").put("op", op);
        n.set("left", l);
        n.set("right", r);
        return n;
    }

    private record Case(String query, ObjectNode tree, double tolerance) {
    }

    @Test
    void answersMatchAnIndependentComputationInPython() throws Exception {
        List<Case> cases = List.of(
                new Case("avg by (rack) (temp{dc=\"jb\"})", agg("avg", sel("temp", "dc", "=", "jb"), "rack"), 0.01),
                new Case("sum by (dc) (rate(req_total))", agg("sum", fn("rate", sel("req_total"), null), "dc"), 0.5),
                new Case("disk_free / disk_size", bin("/", sel("disk_free"), sel("disk_size")), 1e-5),
                new Case("max(temp{rack=~\"r[12]\"})", agg("max", sel("temp", "rack", "=~", "r[12]")), 0.01),
                new Case("moving_avg(temp{host=\"h1\"}, 3)", fn("moving_avg", sel("temp", "host", "=", "h1"), 3.0),
                        0.01),
                new Case("delta(req_total{host=\"h2\"})", fn("delta", sel("req_total", "host", "=", "h2"), null), 2),
                new Case("count by (rack) (temp)", agg("count", sel("temp"), "rack"), 0),
                new Case("fill(temp{host=\"h3\"}, 0)", fn("fill", sel("temp", "host", "=", "h3"), 0.0), 0.01),
                new Case("fill(temp{host=\"h3\"})", fn("fill", sel("temp", "host", "=", "h3"), null), 0.01),
                new Case("min by (dc) (temp{host!=\"h0\"})", agg("min", sel("temp", "host", "!=", "h0"), "dc"), 0.01));
        Path samplesFile = dir.resolve("samples.jsonl");
        StringBuilder sb = new StringBuilder();
        for (ObjectNode s : samples) {
            sb.append(s).append('\n');
        }
        Files.writeString(samplesFile, sb);
        ArrayNode caseJson = JSON.createArrayNode();
        for (Case c : cases) {
            ObjectNode n = caseJson.addObject();
            n.put("resolution", 60_000).put("from", T0).put("to", T0 + 39 * 60_000L);
            n.set("tree", c.tree());
        }
        Path casesFile = dir.resolve("cases.json");
        Files.writeString(casesFile, caseJson.toString());
        Path script = dir.resolve("query_oracle.py");
        try (InputStream in = getClass().getResourceAsStream("/query_oracle.py")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder("python3", script.toString(), samplesFile.toString(), casesFile.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        JsonNode expected = JSON.readTree(p.getInputStream());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("python3 must be installed (it is listed in .ci/packages)").isZero();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            JsonNode got = get("/api/query?q=" + URLEncoder.encode(c.query(), StandardCharsets.UTF_8) + "&from=" + T0
                    + "&to=" + (T0 + 39 * 60_000L));
            compare(c, expected.get(i), got);
        }
    }

    private static void compare(Case c, JsonNode expected, JsonNode got) {
        assertThat(got.get("resolution").asLong()).isEqualTo(60_000);
        assertThat(got.get("times")).as(c.query()).isEqualTo(expected.get("times"));
        Map<Map<String, String>, JsonNode> want = rows(expected);
        Map<Map<String, String>, JsonNode> have = rows(got);
        assertThat(have.keySet()).as("series of %s", c.query()).isEqualTo(want.keySet());
        assertThat(want).as(c.query()).isNotEmpty();
        for (Map.Entry<Map<String, String>, JsonNode> e : want.entrySet()) {
            JsonNode w = e.getValue();
            JsonNode h = have.get(e.getKey());
            int nonNull = 0;
            for (int i = 0; i < w.size(); i++) {
                String at = c.query() + " " + e.getKey() + " at " + i;
                if (w.get(i).isNull()) {
                    assertThat(h.get(i).isNull()).as(at + " expected no value, got " + h.get(i)).isTrue();
                } else {
                    nonNull++;
                    assertThat(h.get(i).isNull()).as(at + " expected " + w.get(i)).isFalse();
                    double want1 = w.get(i).asDouble();
                    assertThat(Math.abs(h.get(i).asDouble() - want1)).as(at + ": got " + h.get(i) + ", expected "
                            + want1).isLessThanOrEqualTo(c.tolerance() * Math.max(1, c.tolerance() < 1e-3
                                    ? Math.abs(want1) : 1));
                }
            }
            assertThat(nonNull).as(c.query()).isGreaterThan(0);
        }
    }

    private static Map<Map<String, String>, JsonNode> rows(JsonNode answer) {
        Map<Map<String, String>, JsonNode> out = new HashMap<>();
        for (JsonNode s : answer.get("series")) {
            Map<String, String> labels = new TreeMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = s.get("labels").fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                labels.put(e.getKey(), e.getValue().asText());
            }
            out.put(labels, s.get("values"));
        }
        return out;
    }

    private JsonNode get(String path) throws IOException, InterruptedException {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + path)).header("Authorization", "Bearer secret").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return JSON.readTree(r.body());
    }

    @Test
    void prometheusShapesAndErrors() throws Exception {
        JsonNode range = get("/api/v1/query_range?query=" + URLEncoder.encode("avg by (dc) (temp)",
                StandardCharsets.UTF_8) + "&start=" + T0 / 1000 + "&end=" + (T0 / 1000 + 600) + "&step=60");
        assertThat(range.get("status").asText()).isEqualTo("success");
        assertThat(range.at("/data/resultType").asText()).isEqualTo("matrix");
        assertThat(range.at("/data/result")).hasSize(2);
        JsonNode point = range.at("/data/result/0/values/0");
        assertThat(point.get(0).asDouble()).isEqualTo(T0 / 1000.0);
        assertThat(point.get(1).isTextual()).isTrue();
        JsonNode series = get("/api/v1/series?match[]=" + URLEncoder.encode("disk_size{host=\"h1\"}",
                StandardCharsets.UTF_8));
        assertThat(series.get("data")).hasSize(2);
        assertThat(series.at("/data/0/__name__").asText()).isEqualTo("disk_size");
        HttpResponse<String> bad = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port()
                + "/api/query?q=" + URLEncoder.encode("avg by (rack (temp)", StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer secret").build(), HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(JSON.readTree(bad.body()).get("error").asText()).startsWith("column ");
        HttpResponse<String> noToken = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                + server.port() + "/api/query?q=temp")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(noToken.statusCode()).isEqualTo(401);
    }
}
