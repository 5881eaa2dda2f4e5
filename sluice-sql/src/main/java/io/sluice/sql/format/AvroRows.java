package io.sluice.sql.format;

import io.sluice.sql.Column;
import io.sluice.sql.SqlType;
import io.sluice.sql.expr.Values;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The Avro form of rows, used for the events of {@code CREATE STREAM x AS SELECT}: a record schema
 * with one field per column (nullable columns as a union with null first), and the binary encoding
 * of one row. Type mapping: BOOLEAN boolean, INT int, BIGINT long, FLOAT float, DOUBLE double,
 * PRECISE(n) string (the plain decimal text), STRING string, BINARY bytes, TIMESTAMP long
 * (milliseconds), LIST array, MAP map (Avro map keys are strings: a key of another type is written as
 * its text). Thread-safe.
 */
public final class AvroRows {
    private AvroRows() {
    }

    public static Schema schema(String name, List<Column> columns) {
        SchemaBuilder.FieldAssembler<Schema> fields = SchemaBuilder.record(avroName(name)).namespace("io.sluice.rtsql").fields();
        for (Column c : columns) {
            Schema t = type(c.type());
            fields = fields.name(avroName(c.name())).type(c.type().nullable() ? nullable(t) : t).noDefault();
        }
        return fields.endRecord();
    }

    private static Schema nullable(Schema t) {
        return Schema.createUnion(Schema.create(Schema.Type.NULL), t);
    }

    private static Schema type(SqlType t) {
        switch (t.kind()) {
            case BOOLEAN: return Schema.create(Schema.Type.BOOLEAN);
            case INT: return Schema.create(Schema.Type.INT);
            case BIGINT: case TIMESTAMP: return Schema.create(Schema.Type.LONG);
            case FLOAT: return Schema.create(Schema.Type.FLOAT);
            case DOUBLE: return Schema.create(Schema.Type.DOUBLE);
            case BINARY: return Schema.create(Schema.Type.BYTES);
            case LIST: return Schema.createArray(nullable(type(t.elementType())));
            case MAP: return Schema.createMap(nullable(type(t.elementType())));
            default: return Schema.create(Schema.Type.STRING);
        }
    }

    /** A valid Avro name for a column name (other characters become {@code _}). */
    public static String avroName(String n) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n.length(); i++) {
            char c = n.charAt(i);
            boolean ok = c == '_' || Character.isLetter(c) && c < 128 || Character.isDigit(c) && i > 0;
            sb.append(ok ? c : '_');
        }
        return sb.length() == 0 ? "_" : sb.toString();
    }

    /** The binary encoding of one row of {@code schema}. */
    public static byte[] encode(Schema schema, List<Column> columns, Object[] row) {
        GenericRecord r = new GenericData.Record(schema);
        for (int i = 0; i < columns.size(); i++) {
            r.put(i, avroValue(row[i], columns.get(i).type()));
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        BinaryEncoder e = EncoderFactory.get().binaryEncoder(out, null);
        try {
            new GenericDatumWriter<GenericRecord>(schema).write(r, e);
            e.flush();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return out.toByteArray();
    }

    private static Object avroValue(Object v, SqlType t) {
        if (v == null) {
            return null;
        }
        if (v instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (v instanceof byte[] b) {
            return ByteBuffer.wrap(b);
        }
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(Values.text(e.getKey()), avroValue(e.getValue(), t.elementType()));
            }
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            for (Object o : l) {
                out.add(avroValue(o, t.elementType()));
            }
            return out;
        }
        return v;
    }
}
