package io.sluice.core.source.spooldir;

import io.sluice.api.Event;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.file.DataFileWriter;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.DecoderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class AvroContainerDeserializerTest {
    private static final Schema SCHEMA = SchemaBuilder.record("Line").fields()
            .requiredLong("n").requiredString("text").endRecord();

    @TempDir
    Path dir;

    /** A container file whose records span several blocks (a small sync interval). */
    private Path container(int records) throws IOException {
        Path f = dir.resolve("data.avro");
        try (DataFileWriter<GenericRecord> w = new DataFileWriter<>(new GenericDatumWriter<GenericRecord>(SCHEMA))) {
            w.setSyncInterval(64);
            w.create(SCHEMA, f.toFile());
            for (int i = 0; i < records; i++) {
                GenericRecord r = new GenericData.Record(SCHEMA);
                r.put("n", (long) i);
                r.put("text", "record number " + i);
                w.append(r);
            }
        }
        return f;
    }

    private static long n(Event e) throws IOException {
        GenericRecord r = new GenericDatumReader<GenericRecord>(SCHEMA).read(null,
                DecoderFactory.get().binaryDecoder(e.body(), null));
        return (Long) r.get("n");
    }

    @Test
    void recordsBecomeBinaryBodiesWithTheSchemaHashHeader() throws IOException {
        Path f = container(3);
        try (AvroContainerDeserializer d = new AvroContainerDeserializer(f, AvroContainerDeserializer.SchemaType.HASH)) {
            List<Event> events = d.readEvents(10, Map.of("file", f.toString()));
            assertThat(events).hasSize(3);
            assertThat(n(events.get(2))).isEqualTo(2);
            // CRC-64-AVRO of the parsing canonical form, little-endian bytes in hex, as Flume writes it
            assertThat(events.get(0).header("flume.avro.schema.hash"))
                    .isEqualTo(String.format("%016x", Long.reverseBytes(
                            SchemaNormalization.parsingFingerprint64(SCHEMA))));
            assertThat(events.get(0).header("file")).isEqualTo(f.toString());
        }
        try (AvroContainerDeserializer d = new AvroContainerDeserializer(f,
                AvroContainerDeserializer.SchemaType.LITERAL)) {
            assertThat(new Schema.Parser().parse(d.readEvents(1, Map.of()).get(0).header("flume.avro.schema.literal")))
                    .isEqualTo(SCHEMA);
        }
    }

    @Test
    void aResetInsideABlockContinuesAtTheNextRecord() throws IOException {
        Path f = container(200);
        List<Long> seen = new ArrayList<>();
        SpoolDeserializer.Mark mark;
        try (AvroContainerDeserializer d = new AvroContainerDeserializer(f, AvroContainerDeserializer.SchemaType.HASH)) {
            for (Event e : d.readEvents(7, Map.of())) {
                seen.add(n(e));
            }
            for (Event e : d.readEvents(30, Map.of())) {
                seen.add(n(e));
            }
            mark = d.mark();
            assertThat(mark.skip()).isPositive();
        }
        try (AvroContainerDeserializer d = new AvroContainerDeserializer(f, AvroContainerDeserializer.SchemaType.HASH)) {
            d.reset(mark);
            List<Event> rest;
            while (!(rest = d.readEvents(13, Map.of())).isEmpty()) {
                for (Event e : rest) {
                    seen.add(n(e));
                }
            }
        }
        assertThat(seen).isEqualTo(LongStream.range(0, 200).boxed().toList());
    }
}
