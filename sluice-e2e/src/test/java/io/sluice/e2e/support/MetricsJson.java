package io.sluice.e2e.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the {@code /metrics} JSON that Apache Flume and Sluice both serve:
 * {@code {"CHANNEL.c1": {"ChannelSize": "0", ...}, ...}}; values may be strings or numbers.
 * Stateless.
 */
public final class MetricsJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private MetricsJson() {
    }

    /** Every group's counters, as text. */
    public static Map<String, Map<String, String>> parse(String json) {
        try {
            Map<String, Map<String, String>> out = new LinkedHashMap<>();
            JsonNode root = JSON.readTree(json);
            root.fields().forEachRemaining(g -> {
                Map<String, String> counters = new LinkedHashMap<>();
                g.getValue().fields().forEachRemaining(c -> counters.put(c.getKey(), c.getValue().asText()));
                out.put(g.getKey(), counters);
            });
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("not the /metrics JSON shape: " + json, e);
        }
    }

    /** GETs {@code /metrics} on 127.0.0.1:{@code port} and parses it. */
    public static Map<String, Map<String, String>> fetch(int port) {
        Http.Response r = Http.get(port, "/metrics");
        if (r.status() != 200) {
            throw new IllegalStateException("GET /metrics on " + port + " answered " + r.status() + ": " + r.body());
        }
        return parse(r.body());
    }

    /** One counter, e.g. {@code counter(port, "CHANNEL.c1", "ChannelSize")}; -1 when absent. */
    public static long counter(int port, String group, String name) {
        Map<String, String> g = fetch(port).get(group);
        String v = g == null ? null : g.get(name);
        return v == null ? -1 : Long.parseLong(v);
    }
}
