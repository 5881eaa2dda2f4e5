package io.sluice.sql.format;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.sql.Column;
import io.sluice.sql.SqlType;
import io.sluice.sql.expr.MapValues;
import io.sluice.sql.expr.Values;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code json}: one JSON object per event. A column reads the top-level field of its name (exact,
 * else ignoring case), or the JSON pointer given as property {@code path.<column>}. Strings are
 * parsed as the column's type, numbers and booleans converted, arrays become LISTs, objects become
 * their JSON text in STRING columns; a JSON boolean fills only BOOLEAN and STRING columns. A body
 * that is not a JSON object is rejected.
 */
final class JsonParser implements EventParser {
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final List<Column> columns;
    private final JsonPointer[] pointers;
    private final RowBuilder rows;

    JsonParser(List<Column> columns, Map<String, String> paths, int timeColumn) {
        this.columns = columns;
        this.pointers = new JsonPointer[columns.size()];
        for (int i = 0; i < pointers.length; i++) {
            String p = paths.get(columns.get(i).name());
            if (p != null) {
                pointers[i] = JsonPointer.compile(p.startsWith("/") || p.isEmpty() ? p : "/" + p);
            }
        }
        this.rows = new RowBuilder(columns, null, "|", timeColumn);
    }

    @Override
    public Object[] parse(byte[] body) throws ParseException {
        JsonNode root;
        try {
            root = MAPPER.readTree(body);
        } catch (IOException e) {
            String m = e.getMessage() == null ? "" : e.getMessage();
            int cut = m.indexOf('\n');
            throw RowBuilder.notARecord("the event is not valid JSON: " + (cut < 0 ? m : m.substring(0, cut)));
        }
        Object[] values = new Object[columns.size()];
        if (root == null || root.isMissingNode()) {
            throw RowBuilder.notARecord("the event is empty, not a JSON object");
        }
        if (!root.isObject()) {
            throw RowBuilder.notARecord("the event is a JSON " + root.getNodeType().name().toLowerCase(Locale.ROOT)
                    + ", not a JSON object");
        }
        for (int i = 0; i < values.length; i++) {
            JsonNode n = pointers[i] != null ? root.at(pointers[i]) : field(root, columns.get(i).name());
            values[i] = n == null || n.isMissingNode() || n.isNull() ? null : convert(n, columns.get(i).type(), i);
        }
        return rows.finish(values);
    }

    private static JsonNode field(JsonNode root, String name) {
        JsonNode n = root.get(name);
        if (n != null) {
            return n;
        }
        Iterator<Map.Entry<String, JsonNode>> it = root.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().equalsIgnoreCase(name)) {
                return e.getValue();
            }
        }
        return null;
    }

    private Object convert(JsonNode n, SqlType type, int column) {
        if (type.kind() == SqlType.Kind.MAP) {
            return n.isObject() ? MapValues.fromJson(n, type) : rows.parseField(column, n.isTextual() ? n.asText() : n.toString());
        }
        if (type.kind() == SqlType.Kind.LIST) {
            if (!n.isArray()) {
                return rows.parseField(column, n.asText());
            }
            List<Object> out = new ArrayList<>();
            for (JsonNode e : n) {
                Object v = e.isNull() ? null : element(e, type.elementType());
                out.add(v);
            }
            return Collections.unmodifiableList(out);
        }
        if (n.isTextual()) {
            return rows.parseField(column, n.asText());
        }
        if (n.isContainerNode()) {
            return type.kind() == SqlType.Kind.STRING ? n.toString() : rows.parseField(column, n.toString());
        }
        Object v = element(n, type);
        return v == null ? rows.parseField(column, n.asText()) : v;
    }

    private static Object element(JsonNode n, SqlType type) {
        if (n.isTextual()) {
            Object v = Values.parse(n.asText(), type, "|");
            return v == Values.FAILED ? null : v;
        }
        if (n.isContainerNode()) {
            return type.kind() == SqlType.Kind.STRING ? n.toString() : null;
        }
        if (n.isBoolean()) {
            // true is not the number 1: a boolean fills BOOLEAN and STRING columns only
            return type.kind() == SqlType.Kind.BOOLEAN || type.kind() == SqlType.Kind.STRING
                    ? Values.cast(n.asBoolean(), SqlType.BOOLEAN, type) : null;
        }
        if (n.isIntegralNumber()) {
            if (type.kind() == SqlType.Kind.INT && !n.canConvertToInt() || !n.canConvertToLong()) {
                return null; // too large: never a wrapped number
            }
            return Values.cast(n.asLong(), SqlType.BIGINT, type);
        }
        if (n.isNumber()) {
            if (type.kind() == SqlType.Kind.PRECISE) {
                return Values.cast(n.decimalValue(), SqlType.precise(n.decimalValue().scale()), type);
            }
            if (type.isIntegral()) {
                return null; // 1.5 is not an integer
            }
            return Values.cast(n.asDouble(), SqlType.DOUBLE, type);
        }
        return null;
    }
}
