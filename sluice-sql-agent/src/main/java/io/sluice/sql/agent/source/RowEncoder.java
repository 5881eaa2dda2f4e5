package io.sluice.sql.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.sql.Column;
import io.sluice.sql.SqlType;
import io.sluice.sql.expr.MapValues;
import io.sluice.sql.format.AvroRows;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.Schema;

import static java.util.Objects.requireNonNull;

/**
 * Turns the rows of one query stream into Avro binary records. Built from the stream's first line
 * ({@code columnNames}, {@code columnTypes} as rtsql type names); every field of the schema is
 * nullable. Values: JSON numbers, strings and booleans as the column's type; a number written as a
 * string (the server writes NaN and infinities so) is parsed; BINARY is base64 text; a value that
 * does not fit its column is an {@link IllegalArgumentException} naming the column. Not
 * thread-safe.
 */
final class RowEncoder {
    /** The header Apache Flume's Avro-aware sinks and serializers read the schema from. */
    static final String SCHEMA_HEADER = "flume.avro.schema.literal";

    private final List<Column> columns;
    private final Schema schema;
    private final String schemaJson;

    RowEncoder(String stream, List<Column> columns) {
        this.columns = List.copyOf(columns);
        this.schema = AvroRows.schema(stream, this.columns);
        this.schemaJson = schema.toString();
    }

    /** The encoder of the stream whose first line is {@code header}. */
    static RowEncoder fromHeader(String stream, JsonNode header) {
        JsonNode names = header.get("columnNames");
        JsonNode types = header.get("columnTypes");
        if (names == null || types == null || !names.isArray() || !types.isArray() || names.size() != types.size()) {
            throw new IllegalArgumentException("the server's first line has no columnNames and columnTypes of the "
                    + "same length: " + header);
        }
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            cols.add(new Column(names.get(i).asText(), type(types.get(i).asText())));
        }
        return new RowEncoder(stream, cols);
    }

    /** An rtsql type name ({@code BIGINT}, {@code PRECISE(2)}, {@code LIST<INT>}), nullable. */
    static SqlType type(String name) {
        String n = name.trim().toUpperCase(Locale.ROOT);
        if (n.endsWith(" NOT NULL")) {
            n = n.substring(0, n.length() - " NOT NULL".length()).trim();
        }
        if (n.startsWith("LIST<") && n.endsWith(">")) {
            return SqlType.list(type(n.substring(5, n.length() - 1)));
        }
        if (n.startsWith("MAP<") && n.endsWith(">")) {
            String inner = n.substring(4, n.length() - 1);
            int depth = 0;
            for (int i = 0; i < inner.length(); i++) {
                char c = inner.charAt(i);
                depth += c == '<' || c == '(' ? 1 : c == '>' || c == ')' ? -1 : 0;
                if (c == ',' && depth == 0) {
                    return SqlType.map(type(inner.substring(0, i)), type(inner.substring(i + 1)));
                }
            }
            throw new IllegalArgumentException("unknown column type '" + name + "' (expected MAP<k, v>)");
        }
        if (n.startsWith("PRECISE(") && n.endsWith(")")) {
            try {
                return SqlType.precise(Integer.parseInt(n.substring(8, n.length() - 1).trim()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unknown column type '" + name + "'");
            }
        }
        try {
            SqlType.Kind kind = SqlType.Kind.valueOf(n);
            return kind == SqlType.Kind.NULL ? SqlType.STRING : SqlType.of(kind);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown column type '" + name + "' (expected an rtsql type: BOOLEAN, "
                    + "INT, BIGINT, FLOAT, DOUBLE, PRECISE(n), STRING, BINARY, TIMESTAMP, LIST<t>, MAP<k, v>)");
        }
    }

    List<Column> columns() {
        return columns;
    }

    Schema schema() {
        return schema;
    }

    /** The schema's JSON, for the {@value #SCHEMA_HEADER} header. */
    String schemaJson() {
        return schemaJson;
    }

    /** The Avro binary record of {@code row}, a JSON array in the column order. */
    byte[] encode(JsonNode row) {
        if (row == null || !row.isArray() || row.size() != columns.size()) {
            throw new IllegalArgumentException("a row is not an array of " + columns.size() + " values: " + row);
        }
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            Column c = columns.get(i);
            try {
                values[i] = value(row.get(i), c.type());
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("column '" + c.name() + "' (" + c.type().name() + "): "
                        + row.get(i) + " does not fit (" + e.getMessage() + ")");
            }
        }
        return AvroRows.encode(schema, columns, values);
    }

    private static Object value(JsonNode v, SqlType t) {
        if (v == null || v.isNull()) {
            return null;
        }
        switch (t.kind()) {
            case BOOLEAN:
                if (!v.isBoolean()) {
                    throw new IllegalArgumentException("not a boolean");
                }
                return v.booleanValue();
            case INT:
                return Math.toIntExact(v.isTextual() ? Long.parseLong(v.textValue()) : integral(v));
            case BIGINT:
            case TIMESTAMP:
                return v.isTextual() ? Long.parseLong(v.textValue()) : integral(v);
            case FLOAT:
                return v.isTextual() ? Float.parseFloat(v.textValue()) : v.floatValue();
            case DOUBLE:
                return v.isTextual() ? Double.parseDouble(v.textValue()) : v.doubleValue();
            case PRECISE:
                return new BigDecimal(v.isTextual() ? v.textValue() : v.asText());
            case BINARY:
                return Base64.getDecoder().decode(v.asText());
            case LIST:
                if (!v.isArray()) {
                    throw new IllegalArgumentException("not an array");
                }
                List<Object> out = new ArrayList<>(v.size());
                for (JsonNode e : v) {
                    out.add(value(e, t.elementType()));
                }
                return out;
            case MAP: {
                if (!v.isObject()) {
                    throw new IllegalArgumentException("not an object");
                }
                Map<Object, Object> entries = new LinkedHashMap<>();
                Iterator<Map.Entry<String, JsonNode>> it = v.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    entries.put(e.getKey(), value(e.getValue(), t.elementType()));
                }
                return MapValues.of(entries, t);
            }
            default:
                return v.isTextual() ? v.textValue() : v.toString();
        }
    }

    private static long integral(JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new IllegalArgumentException("not an integer");
        }
        return v.longValue();
    }

    @Override
    public String toString() {
        return "RowEncoder" + requireNonNull(columns);
    }
}
