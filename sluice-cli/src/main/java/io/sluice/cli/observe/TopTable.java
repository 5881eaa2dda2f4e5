package io.sluice.cli.observe;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns two samples of an agent's {@code /metrics} (Apache Flume's JSON shape) into the rows of
 * {@code sluice top}: one per source, channel and sink, with events per second in and out,
 * channel fill, errors, rollbacks, and the 99th percentile of commit and end-to-end latency when
 * the agent reports them ({@code -} otherwise). Stateless.
 *
 * <ul>
 * <li>in/out per second: a source's received and accepted events, a channel's committed puts and
 *     takes, a sink's taken and delivered events;</li>
 * <li>errors: a source's ChannelWriteFail + EventReadFail + GenericProcessingFail, a sink's
 *     EventWriteFail + ChannelReadFail + ConnectionFailedCount;</li>
 * <li>rollbacks: events a source received but did not accept, puts into a channel that were not
 *     committed, events a sink took but did not deliver (returned to its channel);</li>
 * <li>commit p99: a channel's PutCommitLatencyP99Ms/TakeCommitLatencyP99Ms, a sink's
 *     BatchLatencyP99Ms; e2e p99: a sink's EndToEndLatencyP99Ms.</li>
 * </ul>
 */
public final class TopTable {
    private static final String FORMAT = "%-8s %-16s %10s %10s %7s %10s %8s %9s %13s %9s%n";

    /** One component's figures. */
    public record Row(String kind, String name, Double inPerSecond, Double outPerSecond, Double fillPercent,
            Long size, long errors, long rollbacks, String commitP99, String endToEndP99) {
    }

    private TopTable() {
    }

    public static List<Row> rows(JsonNode previous, JsonNode current, double seconds) {
        List<Row> rows = new ArrayList<>();
        for (String type : List.of("SOURCE", "CHANNEL", "SINK")) {
            List<String> names = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = current.fields(); it.hasNext(); ) {
                String key = it.next().getKey();
                if (key.startsWith(type + ".")) {
                    names.add(key.substring(type.length() + 1));
                }
            }
            names.sort(null);
            for (String name : names) {
                JsonNode now = current.get(type + "." + name);
                JsonNode before = previous == null ? null : previous.get(type + "." + name);
                rows.add(row(type, name, before, now, seconds));
            }
        }
        return rows;
    }

    private static Row row(String type, String name, JsonNode before, JsonNode now, double seconds) {
        String kind = type.toLowerCase(Locale.ROOT);
        return switch (type) {
            case "SOURCE" -> new Row(kind, name, rate(before, now, "EventReceivedCount", seconds),
                    rate(before, now, "EventAcceptedCount", seconds), null, null,
                    sum(now, "ChannelWriteFail", "EventReadFail", "GenericProcessingFail"),
                    Math.max(0, get(now, "EventReceivedCount") - get(now, "EventAcceptedCount")), "-", "-");
            case "CHANNEL" -> new Row(kind, name, rate(before, now, "EventPutSuccessCount", seconds),
                    rate(before, now, "EventTakeSuccessCount", seconds), decimal(now, "ChannelFillPercentage"),
                    now.has("ChannelSize") ? get(now, "ChannelSize") : null, 0,
                    Math.max(0, get(now, "EventPutAttemptCount") - get(now, "EventPutSuccessCount")),
                    pair(now, "PutCommitLatencyP99Ms", "TakeCommitLatencyP99Ms"), "-");
            default -> new Row(kind, name, rate(before, now, "EventDrainAttemptCount", seconds),
                    rate(before, now, "EventDrainSuccessCount", seconds), null, null,
                    sum(now, "EventWriteFail", "ChannelReadFail", "ConnectionFailedCount"),
                    Math.max(0, get(now, "EventDrainAttemptCount") - get(now, "EventDrainSuccessCount")),
                    text(now, "BatchLatencyP99Ms"), text(now, "EndToEndLatencyP99Ms"));
        };
    }

    /** The table as text, with a header line. */
    public static String render(List<Row> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, FORMAT, "KIND", "NAME", "IN/s", "OUT/s", "FILL%", "SIZE", "ERRORS",
                "ROLLBACKS", "COMMIT_P99_MS", "E2E_P99_MS"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, FORMAT, r.kind(), r.name(), perSecond(r.inPerSecond()),
                    perSecond(r.outPerSecond()),
                    r.fillPercent() == null ? "-" : String.format(Locale.ROOT, "%.1f", r.fillPercent()),
                    r.size() == null ? "-" : String.valueOf(r.size()), r.errors(), r.rollbacks(), r.commitP99(),
                    r.endToEndP99()));
        }
        return sb.toString();
    }

    private static String perSecond(Double v) {
        if (v == null) {
            return "-";
        }
        return v >= 100 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static Double rate(JsonNode before, JsonNode now, String key, double seconds) {
        if (before == null || seconds <= 0 || !now.has(key) || !before.has(key)) {
            return null;
        }
        return Math.max(0, (get(now, key) - get(before, key)) / seconds);
    }

    private static long get(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            return 0;
        }
        try {
            return (long) Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static long sum(JsonNode node, String... keys) {
        long s = 0;
        for (String k : keys) {
            s += get(node, k);
        }
        return s;
    }

    private static Double decimal(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Double.parseDouble(v.asText());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String text(JsonNode node, String key) {
        JsonNode v = node.get(key);
        return v == null ? "-" : v.asText();
    }

    private static String pair(JsonNode node, String put, String take) {
        if (!node.has(put) && !node.has(take)) {
            return "-";
        }
        return text(node, put) + "/" + text(node, take);
    }
}
