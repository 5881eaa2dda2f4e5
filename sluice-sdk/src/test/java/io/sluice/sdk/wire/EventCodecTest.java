package io.sluice.sdk.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.api.Event;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.flume.source.avro.AvroFlumeEvent;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EventCodecTest {
    private static final Schema EVENT = AvroFlumeEvent.getClassSchema();
    private static final Schema ARRAY = Schema.createArray(EVENT);

    private static List<Event> sample() {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            Event.Builder b = Event.builder().body(i % 10 == 0 ? "" : "body " + i + " \u00e9\u4e2d");
            for (int h = 0; h < i % 4; h++) {
                b.header("k" + h, "v\u00fc" + i);
            }
            out.add(b.build());
        }
        return out;
    }

    @Test
    void batchWrittenHereIsReadByAvroItself() throws Exception {
        List<Event> events = sample();
        ByteBuf buf = Unpooled.buffer();
        EventCodec.writeBatch(buf, events, 0, events.size());
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        @SuppressWarnings("unchecked")
        List<GenericRecord> read = (List<GenericRecord>) new GenericDatumReader<Object>(ARRAY)
                .read(null, DecoderFactory.get().binaryDecoder(bytes, null));
        assertThat(read).hasSize(events.size());
        for (int i = 0; i < events.size(); i++) {
            Map<String, String> headers = new LinkedHashMap<>();
            ((Map<?, ?>) read.get(i).get("headers")).forEach((k, v) -> headers.put(k.toString(), v.toString()));
            ByteBuffer body = (ByteBuffer) read.get(i).get("body");
            byte[] b = new byte[body.remaining()];
            body.get(b);
            assertThat(Event.of(headers, b)).isEqualTo(events.get(i));
        }
    }

    @Test
    void batchWrittenByAvroInSeveralBlocksIsReadHere() throws Exception {
        List<Event> events = sample();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BinaryEncoder enc = EncoderFactory.get().blockingBinaryEncoder(out, null); // sized blocks, negative counts
        GenericData.Array<GenericRecord> array = new GenericData.Array<>(events.size(), ARRAY);
        for (Event e : events) {
            GenericRecord r = new GenericData.Record(EVENT);
            r.put("headers", new LinkedHashMap<>(e.headers()));
            r.put("body", ByteBuffer.wrap(e.body()));
            array.add(r);
        }
        new GenericDatumWriter<Object>(ARRAY).write(array, enc);
        enc.flush();
        List<Event> read = EventCodec.readBatch(Unpooled.wrappedBuffer(out.toByteArray()));
        assertThat(read).containsExactlyElementsOf(events);
    }

    @Test
    void hugeDeclaredEventCountIsRefusedBeforeAllocating() {
        ByteBuf buf = Unpooled.buffer();
        AvroBinary.writeLong(buf, Integer.MAX_VALUE); // two billion events in a few bytes
        buf.writeZero(6);
        assertThatThrownBy(() -> EventCodec.readBatch(buf)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("event array block of 2147483647 items");
    }

    @Test
    void bodyLongerThanTheRequestIsRefused() {
        ByteBuf buf = Unpooled.buffer();
        AvroBinary.writeLong(buf, 1);
        AvroBinary.writeLong(buf, 0);
        AvroBinary.writeLong(buf, 1L << 40);
        assertThatThrownBy(() -> EventCodec.readBatch(buf)).isInstanceOf(WireFormatException.class)
                .hasMessageContaining("body length 1099511627776 exceeds");
    }

    @Test
    void truncatedAndOverlongVarintsAreRefused() {
        assertThatThrownBy(() -> AvroBinary.readLong(Unpooled.wrappedBuffer(new byte[] {(byte) 0x80})))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("truncated varint");
        byte[] eleven = new byte[11];
        Arrays.fill(eleven, (byte) 0xFF);
        assertThatThrownBy(() -> AvroBinary.readLong(Unpooled.wrappedBuffer(eleven)))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("longer than 10 bytes");
    }

    @Test
    void varintsRoundTripAtTheEdges() {
        ByteBuf buf = Unpooled.buffer();
        long[] values = {0, 1, -1, 63, -64, 64, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, Long.MIN_VALUE};
        for (long v : values) {
            AvroBinary.writeLong(buf, v);
        }
        for (long v : values) {
            assertThat(AvroBinary.readLong(buf)).isEqualTo(v);
        }
    }
}
