package io.sluice.core.metrics;

import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.CounterRegistry;
import java.util.Map;

/**
 * Renders counters the way Apache Flume's HTTP monitoring does: one object per component keyed
 * {@code TYPE.name}, every value a string, plus {@code Type}, {@code StartTime} and {@code StopTime}:
 * <pre>{"CHANNEL.c1":{"ChannelSize":"0",...,"StartTime":"1700000000000","StopTime":"0","Type":"CHANNEL"}}</pre>
 * Stateless.
 */
public final class FlumeJson {
    private FlumeJson() {
    }

    public static String render(CounterRegistry registry) {
        StringBuilder sb = new StringBuilder("{");
        boolean firstGroup = true;
        for (CounterGroup g : registry.groups()) {
            if (!firstGroup) {
                sb.append(',');
            }
            firstGroup = false;
            string(sb, g.type() + "." + g.name());
            sb.append(":{");
            boolean first = true;
            for (Map.Entry<String, Number> e : g.snapshot().entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                string(sb, e.getKey());
                sb.append(':');
                string(sb, String.valueOf(e.getValue()));
            }
            if (!first) {
                sb.append(',');
            }
            string(sb, "Type");
            sb.append(':');
            string(sb, g.type());
            sb.append('}');
        }
        return sb.append('}').toString();
    }

    static void string(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    sb.append("\\\"");
                    break;
                case '\\':
                    sb.append("\\\\");
                    break;
                case '\n':
                    sb.append("\\n");
                    break;
                case '\r':
                    sb.append("\\r");
                    break;
                case '\t':
                    sb.append("\\t");
                    break;
                default:
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
            }
        }
        sb.append('"');
    }
}
