package io.sluice.sql.expr;

import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * Writes rtsql values as JSON text: NULL {@code null}; BOOLEAN, INT, BIGINT and TIMESTAMP as
 * numbers or literals; DOUBLE and FLOAT in their shortest form, NaN and the infinities as the strings
 * {@code "NaN"}, {@code "Infinity"}, {@code "-Infinity"} (JSON has no such numbers); PRECISE as a
 * number; BINARY a base64 string; LIST an array; MAP an object (a key that is not a STRING is
 * written as its text). The JSON output format, CAST of a MAP to STRING and the text form of a MAP
 * in csv and tsv all use it. Stateless and thread-safe.
 */
public final class JsonText {
    private JsonText() {
    }

    /** {@code v} as JSON. */
    public static String of(Object v) {
        StringBuilder sb = new StringBuilder();
        append(sb, v);
        return sb.toString();
    }

    /** Appends {@code v} as JSON. */
    public static void append(StringBuilder sb, Object v) {
        if (v == null) {
            sb.append("null");
        } else if (v instanceof Boolean || v instanceof Integer || v instanceof Long) {
            sb.append(v);
        } else if (v instanceof Double || v instanceof Float) {
            double d = ((Number) v).doubleValue();
            String t = v instanceof Float f ? ShortestDouble.of(f) : ShortestDouble.of(d);
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                appendString(sb, t);
            } else {
                sb.append(t);
            }
        } else if (v instanceof BigDecimal d) {
            sb.append(d.toPlainString());
        } else if (v instanceof byte[] b) {
            appendString(sb, Base64.getEncoder().encodeToString(b));
        } else if (v instanceof List<?> l) {
            sb.append('[');
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                append(sb, l.get(i));
            }
            sb.append(']');
        } else if (v instanceof Map<?, ?> m) {
            sb.append('{');
            boolean first = true;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (!first) {
                    sb.append(',');
                }
                first = false;
                appendString(sb, Values.text(e.getKey()));
                sb.append(':');
                append(sb, e.getValue());
            }
            sb.append('}');
        } else {
            appendString(sb, v.toString());
        }
    }

    /** Appends {@code s} as a JSON string, quotes included. */
    public static void appendString(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
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
