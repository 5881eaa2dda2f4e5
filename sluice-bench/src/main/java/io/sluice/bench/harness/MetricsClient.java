package io.sluice.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads a process's counters from its HTTP {@code /metrics} endpoint, in the JSON shape Apache
 * Flume and Sluice both serve: {@code {"CHANNEL.c1": {"EventTakeSuccessCount": "123", ...}}}
 * (values may be strings, as Flume writes them, or numbers). Thread-safe.
 */
public final class MetricsClient {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final URI uri;

    public MetricsClient(int port) {
        this.uri = URI.create("http://127.0.0.1:" + port + "/metrics");
    }

    /** A reading of one counter, with the time ({@link System#nanoTime()}) it was taken. */
    public record Reading(long value, long nanoTime) {
    }

    /** How much a counter moved over a measurement window, and the window's measured length. */
    public record Window(long events, double seconds) {
        public double eventsPerSecond() {
            return events / seconds;
        }
    }

    /**
     * Waits {@code warmupSeconds}, reads {@code group}'s {@code counter}, waits {@code windowSeconds}
     * and reads it again: the difference over the time between the two readings.
     */
    public Window window(String group, String counter, int warmupSeconds, int windowSeconds)
            throws IOException, InterruptedException {
        Thread.sleep(warmupSeconds * 1000L);
        Reading start = read(group, counter);
        Thread.sleep(windowSeconds * 1000L);
        Reading end = read(group, counter);
        return new Window(end.value() - start.value(), (end.nanoTime() - start.nanoTime()) / 1e9);
    }

    /** Every group's counters as text; throws if the endpoint does not answer 200 with JSON. */
    public Map<String, Map<String, String>> fetch() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("GET " + uri + " answered " + response.statusCode() + ": " + response.body());
        }
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        JsonNode root = JSON.readTree(response.body());
        root.fields().forEachRemaining(group -> {
            Map<String, String> counters = new LinkedHashMap<>();
            group.getValue().fields().forEachRemaining(c -> counters.put(c.getKey(), c.getValue().asText()));
            out.put(group.getKey(), counters);
        });
        return out;
    }

    /**
     * The value of {@code group}'s {@code counter} (e.g. {@code CHANNEL.c1},
     * {@code EventTakeSuccessCount}), timed at the middle of the request.
     */
    public Reading read(String group, String counter) throws IOException, InterruptedException {
        long before = System.nanoTime();
        Map<String, Map<String, String>> all = fetch();
        long after = System.nanoTime();
        Map<String, String> g = all.get(group);
        if (g == null || g.get(counter) == null) {
            throw new IOException(uri + " has no counter " + group + "." + counter + "; groups: " + all.keySet());
        }
        return new Reading(Long.parseLong(g.get(counter)), before + (after - before) / 2);
    }
}
