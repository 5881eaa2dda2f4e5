package io.sluice.core.source.spooldir;

import io.sluice.api.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.DataFileReader;
import org.apache.avro.file.SeekableFileInput;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;

/**
 * The {@code AVRO} deserializer: reads an Avro container file and makes one event per record, as
 * Apache Flume's AvroEventDeserializer does: the body is the record in Avro binary encoding and
 * the header {@code flume.avro.schema.hash} (hex CRC-64-AVRO fingerprint of the schema, with
 * {@code deserializer.schemaType = HASH}, the default) or {@code flume.avro.schema.literal} (the
 * schema's JSON, with {@code LITERAL}) names the writer's schema.
 *
 * <p>A mark is the start of the current data block plus the number of records of that block
 * already returned, so a restart continues at the next record (Flume restarts at the block's
 * first record and delivers the block's earlier records again). Not thread-safe.
 */
final class AvroContainerDeserializer implements SpoolDeserializer {
    static final String SCHEMA_HASH_HEADER = "flume.avro.schema.hash";
    static final String SCHEMA_LITERAL_HEADER = "flume.avro.schema.literal";

    /** {@code deserializer.schemaType}. */
    enum SchemaType { HASH, LITERAL }

    private final DataFileReader<GenericRecord> reader;
    private final Map<String, String> headers;
    private final GenericDatumWriter<GenericRecord> writer;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private BinaryEncoder encoder;
    private GenericRecord reuse;
    private long blockStart;
    private long readInBlock;

    AvroContainerDeserializer(Path file, SchemaType schemaType) throws IOException {
        this.reader = new DataFileReader<>(new SeekableFileInput(file.toFile()), new GenericDatumReader<>());
        Schema schema = reader.getSchema();
        this.writer = new GenericDatumWriter<>(schema);
        this.headers = schemaType == SchemaType.HASH
                ? Map.of(SCHEMA_HASH_HEADER, schemaHash(schema))
                : Map.of(SCHEMA_LITERAL_HEADER, schema.toString());
        this.blockStart = reader.previousSync();
    }

    /** The hex CRC-64-AVRO parsing fingerprint, as Apache Flume writes it. */
    static String schemaHash(Schema schema) {
        try {
            return HexFormat.of().formatHex(SchemaNormalization.parsingFingerprint("CRC-64-AVRO", schema));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Avro always provides CRC-64-AVRO", e);
        }
    }

    @Override
    public List<Event> readEvents(int max, Map<String, String> fileHeaders) throws IOException {
        List<Event> events = new ArrayList<>();
        Map<String, String> all = headers;
        if (!fileHeaders.isEmpty()) {
            all = new LinkedHashMap<>(fileHeaders);
            all.putAll(headers);
        }
        while (events.size() < max && reader.hasNext()) {
            long sync = reader.previousSync();
            if (sync != blockStart) {
                blockStart = sync;
                readInBlock = 0;
            }
            reuse = reader.next(reuse);
            readInBlock++;
            out.reset();
            encoder = EncoderFactory.get().directBinaryEncoder(out, encoder);
            writer.write(reuse, encoder);
            encoder.flush();
            events.add(Event.wrap(all, out.toByteArray()));
        }
        return events;
    }

    @Override
    public Mark mark() {
        return new Mark(blockStart, readInBlock);
    }

    @Override
    public void reset(Mark mark) throws IOException {
        reader.seek(mark.offset());
        blockStart = mark.offset();
        readInBlock = 0;
        for (long i = 0; i < mark.skip() && reader.hasNext(); i++) {
            if (reader.previousSync() != blockStart) {
                throw new IOException("Avro block at offset " + mark.offset() + " has fewer than " + mark.skip()
                        + " records; the file changed since it was read");
            }
            reuse = reader.next(reuse);
            readInBlock++;
        }
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
