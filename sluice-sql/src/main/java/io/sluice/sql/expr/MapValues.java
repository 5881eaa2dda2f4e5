package io.sluice.sql.expr;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.sql.SqlType;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The values of MAP columns: unmodifiable maps whose keys are of the map's key type, in ascending
 * order ({@link Values#compare}), never NULL, and stored in their canonical form
 * ({@link Values#hashKey}), so that equal maps are {@code equals}, print alike and a lookup finds
 * a key whatever its numeric class. Text form: a JSON object ({@code {"dc":"jb","rack":"r1"}}).
 * Stateless and thread-safe.
 */
public final class MapValues {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private MapValues() {
    }

    /**
     * A MAP value of {@code type} from any map: each key and value converted to the map's key and
     * value types (as CAST does); an entry whose key is NULL or cannot be converted is left out.
     */
    public static Map<Object, Object> of(Map<?, ?> raw, SqlType type) {
        SqlType keyType = type.keyType();
        SqlType valueType = type.elementType();
        SortedMap<Object, Object> out = new TreeMap<>(Values::compare);
        for (Map.Entry<?, ?> e : raw.entrySet()) {
            Object k = e.getKey() == null ? null : Values.cast(e.getKey(), typeOf(e.getKey()), keyType);
            if (k != null) {
                Object v = e.getValue();
                out.put(Values.hashKey(k), v == null ? null : Values.cast(v, typeOf(v), valueType));
            }
        }
        return Collections.unmodifiableSortedMap(out);
    }

    /** A MAP from its text form, a JSON object; {@link Values#FAILED} when the text is not one. */
    public static Object parse(String text, SqlType type) {
        JsonNode n;
        try {
            n = MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            return Values.FAILED;
        }
        return n != null && n.isObject() ? fromJson(n, type) : Values.FAILED;
    }

    /** A MAP from a JSON object: each member's value read as the map's value type (NULL if it cannot be). */
    public static Map<Object, Object> fromJson(JsonNode object, SqlType type) {
        SortedMap<Object, Object> raw = new TreeMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = object.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            Object value;
            if (v.isNull()) {
                value = null;
            } else {
                Object p = Values.parse(v.isValueNode() ? v.asText() : v.toString(), type.elementType(), "|");
                value = p == Values.FAILED ? null : p;
            }
            raw.put(e.getKey(), value);
        }
        return of(raw, type);
    }

    /** The rtsql type a plain Java value (of a map given by Java code or a format) is read as. */
    static SqlType typeOf(Object v) {
        if (v instanceof String) {
            return SqlType.STRING;
        }
        if (v instanceof Boolean) {
            return SqlType.BOOLEAN;
        }
        if (v instanceof Integer) {
            return SqlType.INT;
        }
        if (v instanceof Long) {
            return SqlType.BIGINT;
        }
        if (v instanceof Float) {
            return SqlType.FLOAT;
        }
        if (v instanceof byte[]) {
            return SqlType.BINARY;
        }
        if (v instanceof BigDecimal d) {
            return SqlType.precise(Math.max(0, d.scale()));
        }
        return v instanceof Number ? SqlType.DOUBLE : SqlType.STRING;
    }
}
