package io.sluice.core.serialization;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.core.iotest.TestContexts;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.apache.avro.file.DataFileStream;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.util.Utf8;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class EventSerializersTest {

    @Test
    void flumeNamesAndAliasesInAnyCaseFindTheBuiltIns() {
        assertThat(EventSerializers.find("TEXT")).get().isInstanceOf(TextSerializerFactory.class);
        assertThat(EventSerializers.find("org.apache.flume.serialization.BodyTextEventSerializer$Builder")).get()
                .isInstanceOf(TextSerializerFactory.class);
        assertThat(EventSerializers.find("HEADER_AND_TEXT")).get().isInstanceOf(HeaderAndTextSerializerFactory.class);
        assertThat(EventSerializers.find("org.apache.flume.serialization.FlumeEventAvroEventSerializer$Builder"))
                .get().isInstanceOf(AvroEventSerializerFactory.class);
        assertThat(EventSerializers.find("avro_event")).get().isInstanceOf(AvroEventSerializerFactory.class);
        assertThat(EventSerializers.find("parquet")).isEmpty();
    }

    @Test
    void textWithoutAppendNewlineWritesBodiesBackToBack() throws Exception {
        TestContexts ctx = TestContexts.of(ComponentKind.EVENT_SERIALIZER, "s", Map.of("appendNewline", "false"));
        EventSerializer.Builder builder = new TextSerializerFactory().create(ctx.context());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventSerializer s = builder.build(out);
        s.afterCreate();
        s.write(Event.ofString("ab"));
        s.write(Event.ofString("cd"));
        s.flush();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("abcd");
    }

    @Test
    void avroEventWritesFlumesSchemaWithoutNamespace() throws Exception {
        TestContexts ctx = TestContexts.of(ComponentKind.EVENT_SERIALIZER, "s", Map.of("syncIntervalBytes", "64"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        EventSerializer s = new AvroEventSerializerFactory().create(ctx.context()).build(out);
        s.afterCreate();
        for (int i = 0; i < 20; i++) {
            s.write(Event.builder().header("n", Integer.toString(i)).body("body-" + i).build());
        }
        s.beforeClose();
        try (DataFileStream<GenericRecord> in = new DataFileStream<>(new ByteArrayInputStream(out.toByteArray()),
                new GenericDatumReader<>())) {
            assertThat(in.getSchema().toString()).isEqualTo("{\"type\":\"record\",\"name\":\"Event\",\"fields\":["
                    + "{\"name\":\"headers\",\"type\":{\"type\":\"map\",\"values\":\"string\"}},"
                    + "{\"name\":\"body\",\"type\":\"bytes\"}]}");
            int n = 0;
            for (GenericRecord r : in) {
                assertThat(((Map<?, ?>) r.get("headers")).get(new Utf8("n")).toString())
                        .isEqualTo(Integer.toString(n));
                n++;
            }
            assertThat(n).isEqualTo(20);
        }
    }
}
