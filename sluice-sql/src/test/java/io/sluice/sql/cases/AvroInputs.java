package io.sluice.sql.cases;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

/** Writes an avro input of a case: an Avro object container file of records given as JSON. */
final class AvroInputs {
    private AvroInputs() {
    }

    /** Writes {@code spec} ({@code schema}, {@code records}) to {@code file}; returns the schema as JSON text. */
    static String write(Path file, JsonNode spec) throws IOException {
        Schema schema = new Schema.Parser().parse(spec.get("schema").toString());
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(schema))) {
            w.create(schema, file.toFile());
            for (JsonNode r : spec.get("records")) {
                w.append(record(schema, r));
            }
        }
        return schema.toString();
    }

    private static GenericRecord record(Schema schema, JsonNode json) {
        GenericRecord rec = new GenericData.Record(schema);
        for (Schema.Field f : schema.getFields()) {
            rec.put(f.name(), value(f.schema(), json.get(f.name())));
        }
        return rec;
    }

    private static Object value(Schema s, JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        switch (s.getType()) {
            case UNION:
                for (Schema branch : s.getTypes()) {
                    if (branch.getType() != Schema.Type.NULL) {
                        return value(branch, v);
                    }
                }
                return null;
            case INT: return v.asInt();
            case LONG: return v.asLong();
            case DOUBLE: return v.asDouble();
            case FLOAT: return (float) v.asDouble();
            case BOOLEAN: return v.asBoolean();
            case STRING: return v.asText();
            case RECORD: return record(s, v);
            case MAP: {
                Map<String, Object> m = new LinkedHashMap<>();
                v.fields().forEachRemaining(e -> m.put(e.getKey(), value(s.getValueType(), e.getValue())));
                return m;
            }
            default: throw new IllegalArgumentException("avro type " + s.getType() + " is not supported by the runner");
        }
    }
}
