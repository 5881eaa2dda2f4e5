package io.sluice.sql.format;

import io.sluice.sql.Column;
import io.sluice.sql.SqlType;
import io.sluice.sql.expr.MapValues;
import io.sluice.sql.expr.Values;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericFixed;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * {@code avro}: the body is one Avro binary-encoded record of {@code schema}; a column reads the
 * field of its name (exact, else ignoring case). Also reads records of an Avro container file.
 */
public final class AvroParser implements EventParser {
    private final List<Column> columns;
    private final Schema schema;
    private final RowBuilder rows;

    AvroParser(List<Column> columns, Schema schema, int timeColumn) {
        this.columns = columns;
        this.schema = schema;
        this.rows = new RowBuilder(columns, null, "|", timeColumn);
    }

    public Schema schema() {
        return schema;
    }

    @Override
    public Object[] parse(byte[] body) throws ParseException {
        GenericRecord r;
        try {
            BinaryDecoder d = DecoderFactory.get().binaryDecoder(body, null);
            r = new GenericDatumReader<GenericRecord>(schema).read(null, d);
        } catch (IOException | RuntimeException e) {
            throw new ParseException("the body is not an Avro record of the stream's schema: " + e.getMessage());
        }
        return fromRecord(r);
    }

    /** The row of one decoded record. */
    public Object[] fromRecord(GenericRecord r) throws ParseException {
        Object[] values = new Object[columns.size()];
        for (int i = 0; i < values.length; i++) {
            Schema.Field f = field(r.getSchema(), columns.get(i).name());
            values[i] = f == null ? null : convert(r.get(f.pos()), columns.get(i).type(), i);
        }
        return rows.finish(values);
    }

    private static Schema.Field field(Schema s, String name) {
        Schema.Field f = s.getField(name);
        if (f != null) {
            return f;
        }
        for (Schema.Field x : s.getFields()) {
            if (x.name().equalsIgnoreCase(name)) {
                return x;
            }
        }
        return null;
    }

    private Object convert(Object v, SqlType type, int column) {
        if (v == null) {
            return null;
        }
        if (type.kind() == SqlType.Kind.MAP) {
            if (!(v instanceof Map<?, ?> m)) {
                return null;
            }
            Map<Object, Object> plainMap = new HashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object value = e.getValue();
                plainMap.put(e.getKey() == null ? null : e.getKey().toString(),
                        value == null ? null : plain(value, type.elementType()));
            }
            return MapValues.of(plainMap, type);
        }
        if (type.kind() == SqlType.Kind.LIST) {
            if (!(v instanceof Collection<?> c)) {
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object o : c) {
                out.add(o == null ? null : plain(o, type.elementType()));
            }
            return Collections.unmodifiableList(out);
        }
        Object p = plain(v, type);
        return p == null ? rows.parseField(column, String.valueOf(v)) : p;
    }

    private static Object plain(Object v, SqlType type) {
        if (v instanceof Utf8 || v instanceof CharSequence) {
            Object p = Values.parse(v.toString(), type, "|");
            return p == Values.FAILED ? null : p;
        }
        if (v instanceof ByteBuffer b) {
            byte[] bytes = new byte[b.remaining()];
            b.duplicate().get(bytes);
            return type.kind() == SqlType.Kind.BINARY ? bytes : Values.cast(bytes, SqlType.BINARY, type);
        }
        if (v instanceof GenericFixed f) {
            return Values.cast(f.bytes(), SqlType.BINARY, type);
        }
        if (v instanceof Boolean) {
            return Values.cast(v, SqlType.BOOLEAN, type);
        }
        if (v instanceof Integer || v instanceof Long) {
            return Values.cast(((Number) v).longValue(), SqlType.BIGINT, type);
        }
        if (v instanceof Number n) {
            return Values.cast(n.doubleValue(), SqlType.DOUBLE, type);
        }
        return Values.cast(v.toString(), SqlType.STRING, type);
    }
}
