package io.sluice.kafka;

import io.sluice.api.Event;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.flume.source.avro.AvroFlumeEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checked against Apache Flume's own AvroFlumeEvent class, written and read by Avro as Flume's Kafka components do. */
class FlumeEventCodecTest {

    @Test
    void encodesByteForByteAsApacheFlumeWritesIt() throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("host", "web-1");
        headers.put("timestamp", "1733400000000");
        headers.put("ünï", "cödé ✓");
        byte[] body = new byte[300];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) i;
        }
        Event e = Event.of(headers, body);

        assertThat(FlumeEventCodec.encode(e)).isEqualTo(flumeWrites(headers, body));
    }

    @Test
    void encodesAnEventWithoutHeadersOrBodyAsFlumeDoes() throws IOException {
        assertThat(FlumeEventCodec.encode(Event.of(Map.of(), new byte[0])))
                .isEqualTo(flumeWrites(Map.of(), new byte[0]))
                .containsExactly(0, 0);
    }

    @Test
    void encodesLongAsciiAndNonAsciiHeadersByteForByteAsApacheFlumeWritesThem() throws IOException {
        // Lengths past 63 take a second varint byte; ASCII and non-ASCII strings are written by different paths.
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("long-ascii", "a".repeat(200));
        headers.put("long-utf8", "\u00e9\u2713".repeat(40));
        headers.put("", "");
        byte[] body = new byte[70];
        Event e = Event.of(headers, body);

        assertThat(FlumeEventCodec.encode(e)).isEqualTo(flumeWrites(headers, body));
        assertThat(FlumeEventCodec.decode(FlumeEventCodec.encode(e)).headers()).containsExactlyEntriesOf(headers);
    }

    @Test
    void decodesWhatApacheFlumeWrites() throws IOException {
        Map<String, String> headers = Map.of("a", "1", "topic", "logs");
        Event e = FlumeEventCodec.decode(flumeWrites(headers, "hello".getBytes(StandardCharsets.UTF_8)));

        assertThat(e.headers()).isEqualTo(headers);
        assertThat(e.bodyAsString()).isEqualTo("hello");
    }

    @Test
    void apacheFlumeReadsWhatSluiceWrites() throws IOException {
        Event e = Event.builder().header("k", "v").body("body").build();
        byte[] bytes = FlumeEventCodec.encode(e);
        BinaryDecoder decoder = DecoderFactory.get().binaryDecoder(bytes, null);
        AvroFlumeEvent read = new SpecificDatumReader<>(AvroFlumeEvent.class).read(null, decoder);

        assertThat(read.getHeaders().toString()).isEqualTo("{k=v}");
        assertThat(StandardCharsets.UTF_8.decode(read.getBody()).toString()).isEqualTo("body");
    }

    @Test
    void readsMapBlocksWithANegativeCountAndASize() {
        // one block of -1 entries and its size in bytes (4), a=b, the end of the map, then a 1-byte body "x"
        byte[] bytes = {1, 8, 2, 'a', 2, 'b', 0, 2, 'x'};
        Event e = FlumeEventCodec.decode(bytes);

        assertThat(e.headers()).containsExactly(Map.entry("a", "b"));
        assertThat(e.bodyAsString()).isEqualTo("x");
    }

    @Test
    void refusesBytesThatAreNotAFlumeEventSayingWhere() {
        assertThatThrownBy(() -> FlumeEventCodec.decode("plain text body".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("not an Apache Flume Avro event")
                .hasMessageContaining("offset");
        assertThatThrownBy(() -> FlumeEventCodec.decode(new byte[] {0, 10, 1}))
                .hasMessageContaining("a length of 5 at offset 2 with 1 byte(s) left");
    }

    private static byte[] flumeWrites(Map<String, String> headers, byte[] body) throws IOException {
        Map<CharSequence, CharSequence> h = new LinkedHashMap<>(headers);
        AvroFlumeEvent event = new AvroFlumeEvent(h, ByteBuffer.wrap(body));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
        new SpecificDatumWriter<>(AvroFlumeEvent.class).write(event, encoder);
        encoder.flush();
        return out.toByteArray();
    }
}
