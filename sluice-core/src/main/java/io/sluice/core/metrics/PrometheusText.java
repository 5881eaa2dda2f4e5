package io.sluice.core.metrics;

import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.api.metrics.LatencyHistogram;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Renders counters in the Prometheus text exposition format (0.0.4). Each Flume counter name
 * becomes snake case under {@code sluice_}: counters end in {@code _total} (a trailing
 * {@code _count} is dropped first, so {@code EventReceivedCount} is
 * {@code sluice_event_received_total}); gauges keep their name ({@code ChannelSize} is
 * {@code sluice_channel_size}); StartTime/StopTime become {@code sluice_start_time_seconds} and
 * {@code sluice_stop_time_seconds}. Labels: {@code agent}, {@code kind} (source, channel, sink,
 * ...), {@code component}. Each latency histogram of a component ({@code PutCommitLatency}) becomes
 * a histogram {@code sluice_put_commit_latency_seconds}, a summary
 * {@code sluice_put_commit_latency_recent_seconds} and a gauge
 * {@code sluice_put_commit_latency_max_seconds}; {@code /metrics} shows only its p99 in milliseconds
 * ({@code PutCommitLatencyP99Ms}), which is skipped here. Stateless.
 */
public final class PrometheusText {
    private PrometheusText() {
    }

    public static String render(String agent, CounterRegistry registry) {
        Map<String, List<String>> samples = new LinkedHashMap<>();
        Map<String, String> types = new LinkedHashMap<>();
        for (CounterGroup g : registry.groups()) {
            String labels = "{agent=\"" + escape(agent) + "\",kind=\"" + escape(g.type().toLowerCase(Locale.ROOT))
                    + "\",component=\"" + escape(g.name()) + "\"}";
            for (Map.Entry<String, Number> e : g.snapshot().entrySet()) {
                String key = e.getKey();
                if (key.endsWith(CounterGroup.P99_MS_SUFFIX) && g.latencies()
                        .containsKey(key.substring(0, key.length() - CounterGroup.P99_MS_SUFFIX.length()))) {
                    continue;
                }
                String name;
                String type;
                String value;
                if (key.equals("StartTime") || key.equals("StopTime")) {
                    name = "sluice_" + snake(key) + "_seconds";
                    type = "gauge";
                    value = seconds(e.getValue().longValue());
                } else if (g.isCounter(key)) {
                    String s = snake(key);
                    if (s.endsWith("_count")) {
                        s = s.substring(0, s.length() - "_count".length());
                    }
                    name = "sluice_" + s + "_total";
                    type = "counter";
                    value = number(e.getValue());
                } else {
                    name = "sluice_" + snake(key);
                    type = "gauge";
                    value = number(e.getValue());
                }
                types.putIfAbsent(name, type);
                samples.computeIfAbsent(name, k -> new ArrayList<>()).add(name + labels + " " + value);
            }
            for (Map.Entry<String, LatencyHistogram> e : g.latencies().entrySet()) {
                if (e.getValue() instanceof MicrometerLatency m) {
                    latency(samples, types, "sluice_" + snake(e.getKey()), labels, m.snapshot());
                }
            }
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, List<String>> e : samples.entrySet()) {
            sb.append("# TYPE ").append(e.getKey()).append(' ').append(types.get(e.getKey())).append('\n');
            for (String line : e.getValue()) {
                sb.append(line).append('\n');
            }
        }
        return sb.toString();
    }

    /**
     * One latency as a histogram {@code <base>_seconds} (cumulative buckets, sum, count), a summary
     * {@code <base>_recent_seconds} (the recent 0.5, 0.99 and 0.999 quantiles, with the same sum and
     * count) and a gauge {@code <base>_max_seconds} (the recent maximum).
     */
    private static void latency(Map<String, List<String>> samples, Map<String, String> types, String base,
            String labels, MicrometerLatency.Snapshot s) {
        String open = labels.substring(0, labels.length() - 1);
        String hist = base + "_seconds";
        types.putIfAbsent(hist, "histogram");
        List<String> h = samples.computeIfAbsent(hist, k -> new ArrayList<>());
        long last = 0;
        for (int i = 0; i < s.bucketBounds().length; i++) {
            last = Math.max(last, s.cumulativeCounts()[i]);
            h.add(hist + "_bucket" + open + ",le=\"" + s.bucketBounds()[i] + "\"} " + last);
        }
        long count = Math.max(last, s.count());
        h.add(hist + "_bucket" + open + ",le=\"+Inf\"} " + count);
        h.add(hist + "_sum" + labels + " " + Double.toString(s.sumSeconds()));
        h.add(hist + "_count" + labels + " " + count);
        String recent = base + "_recent_seconds";
        types.putIfAbsent(recent, "summary");
        List<String> r = samples.computeIfAbsent(recent, k -> new ArrayList<>());
        for (int i = 0; i < s.percentiles().length; i++) {
            r.add(recent + open + ",quantile=\"" + s.percentiles()[i] + "\"} " + s.percentileValues()[i]);
        }
        r.add(recent + "_sum" + labels + " " + Double.toString(s.sumSeconds()));
        r.add(recent + "_count" + labels + " " + count);
        String max = base + "_max_seconds";
        types.putIfAbsent(max, "gauge");
        samples.computeIfAbsent(max, k -> new ArrayList<>()).add(max + labels + " " + s.maxSeconds());
    }

    /** {@code EventReceivedCount} to {@code event_received_count}. */
    static String snake(String camel) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < camel.length(); i++) {
            char c = camel.charAt(i);
            if (Character.isUpperCase(c)) {
                if (i > 0 && (Character.isLowerCase(camel.charAt(i - 1))
                        || (i + 1 < camel.length() && Character.isLowerCase(camel.charAt(i + 1))
                                && Character.isUpperCase(camel.charAt(i - 1))))) {
                    sb.append('_');
                }
                sb.append(Character.toLowerCase(c));
            } else if (Character.isLetterOrDigit(c)) {
                sb.append(c);
            } else {
                sb.append('_');
            }
        }
        return sb.toString();
    }

    private static String number(Number n) {
        if (n instanceof Double || n instanceof Float) {
            double d = n.doubleValue();
            return Double.isFinite(d) ? Double.toString(d) : "NaN";
        }
        return Long.toString(n.longValue());
    }

    private static String seconds(long millis) {
        return millis == 0 ? "0" : (millis / 1000) + "." + String.format("%03d", millis % 1000);
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
