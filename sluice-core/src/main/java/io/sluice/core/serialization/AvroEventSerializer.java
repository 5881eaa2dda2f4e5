package io.sluice.core.serialization;

import io.sluice.api.Event;
import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.file.CodecFactory;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;

import static java.util.Objects.requireNonNull;

/**
 * The {@code avro_event} serializer: an Avro object container file whose records have the schema
 * Apache Flume writes for events, so files are interchangeable with Flume's and readable by Avro's
 * own tools ({@code DataFileReader}, {@code avro-tools tojson}):
 *
 * <pre>{@code
 * {"type": "record", "name": "Event", "fields": [
 *   {"name": "headers", "type": {"type": "map", "values": "string"}},
 *   {"name": "body", "type": "bytes"}]}
 * }</pre>
 *
 * <p>{@link #flush()} ends the current block (with its sync marker) and flushes the stream, so a
 * committed batch is always a readable prefix of the file. Appending to an existing file is not
 * supported. Not thread-safe.
 */
public final class AvroEventSerializer implements EventSerializer {
    /** Apache Flume's event schema (record {@code Event}, no namespace). */
    public static final Schema SCHEMA = new Schema.Parser().parse(
            "{\"type\":\"record\",\"name\":\"Event\",\"fields\":["
                    + "{\"name\":\"headers\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},"
                    + "{\"name\":\"body\",\"type\":\"bytes\"}]}");

    private final OutputStream out;
    private final DataFileWriter<GenericRecord> writer;
    private boolean created;

    AvroEventSerializer(OutputStream out, int syncIntervalBytes, CodecFactory codec) {
        this.out = requireNonNull(out, "out is null");
        this.writer = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA));
        writer.setSyncInterval(syncIntervalBytes);
        writer.setCodec(requireNonNull(codec, "codec is null"));
    }

    @Override
    public void afterCreate() throws IOException {
        writer.create(SCHEMA, out);
        created = true;
    }

    @Override
    public void afterReopen() {
        throw new UnsupportedOperationException("avro_event files cannot be appended to; start a new file");
    }

    @Override
    public void write(Event event) throws IOException {
        if (!created) {
            throw new IllegalStateException("write() called before afterCreate()");
        }
        GenericRecord record = new GenericData.Record(SCHEMA);
        Map<String, String> headers = new HashMap<>(event.headers());
        record.put("headers", headers);
        record.put("body", event.bodyBuffer());
        writer.append(record);
    }

    @Override
    public void flush() throws IOException {
        if (created) {
            writer.flush();
        }
    }

    @Override
    public void beforeClose() throws IOException {
        flush();
    }

    @Override
    public boolean supportsReopen() {
        return false;
    }
}
