package io.sluice.sql.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.sql.Column;
import io.sluice.sql.Flow;
import io.sluice.sql.FlowCounters;
import io.sluice.sql.Row;
import io.sluice.sql.SqlType;
import io.sluice.sql.expr.Values;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How the API writes values as JSON: rows as arrays in column order (NULL as {@code null},
 * TIMESTAMP as milliseconds since the epoch, BINARY as base64, PRECISE as a decimal number, LIST as
 * an array), flows and columns as objects. Stateless; thread-safe.
 */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();

    private Json() {
    }

    static String write(Object value) {
        try {
            return MAPPER.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON: " + e.getMessage(), e);
        }
    }

    static String quote(String s) {
        return write(s);
    }

    /** A row as one JSON array line (with its newline). */
    static String rowLine(Row row) {
        List<Object> values = new ArrayList<>(row.size());
        for (int i = 0; i < row.size(); i++) {
            values.add(value(row.value(i)));
        }
        return write(values) + "\n";
    }

    static Object value(Object v) {
        if (v instanceof byte[] b) {
            return Base64.getEncoder().encodeToString(b);
        }
        if (v instanceof BigDecimal d) {
            return d;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(value(o));
            }
            return out;
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(Values.text(e.getKey()), value(e.getValue()));
            }
            return out;
        }
        return v;
    }

    static List<String> names(List<Column> cols) {
        List<String> out = new ArrayList<>();
        for (Column c : cols) {
            out.add(c.name());
        }
        return out;
    }

    static List<String> types(List<Column> cols) {
        List<String> out = new ArrayList<>();
        for (Column c : cols) {
            out.add(typeName(c.type()));
        }
        return out;
    }

    static String typeName(SqlType t) {
        return t.name();
    }

    /** The header line of a row stream (with its newline). */
    static String header(String idKey, Object id, List<Column> cols) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(idKey, id);
        m.put("columnNames", names(cols));
        m.put("columnTypes", types(cols));
        return write(m) + "\n";
    }

    static Map<String, Object> flow(Flow f, List<String> waiting) {
        FlowCounters c = f.counters();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", f.id());
        m.put("state", f.state().name());
        m.put("query", f.query());
        m.put("finite", f.isFinite());
        m.put("columnNames", names(f.columns()));
        m.put("columnTypes", types(f.columns()));
        m.put("eventsIn", c.eventsIn());
        m.put("rowsOut", c.rowsOut());
        m.put("rejected", c.rejected());
        m.put("late", c.late());
        m.put("dropped", c.dropped());
        m.put("waiting", waiting);
        f.failure().ifPresent(t -> m.put("failure", t.toString()));
        if (c.rejected() > 0 && !f.rejectedEvents().isEmpty()) {
            m.put("firstRejected", f.rejectedEvents().get(0).reason() + " in '" + f.rejectedEvents().get(0).raw() + "'");
        }
        return m;
    }

    static String error(String error, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        m.put("message", message);
        return write(m);
    }
}
