package io.sluice.core.metrics;

import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.CounterRegistry;
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
 * ...), {@code component}. Stateless.
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
