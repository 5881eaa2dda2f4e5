package io.sluice.core.tap;

import io.sluice.api.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The batch-level layout, version 2 of {@link TeeFrames}: round trips, the layout, malformed bodies. */
class TeeFramesV2Test {
    private static final TeeFrames.Limits LIMITS = new TeeFrames.Limits(1000, 1 << 20, 100, 1 << 20);

    private static Event event(String body, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return Event.wrap(h, body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] encode(Event... events) {
        TeeFrames.BatchWriter w = new TeeFrames.BatchWriter(16);
        for (Event e : events) {
            w.write(e);
        }
        return w.toByteArray();
    }

    private static void assertRoundTrip(Event... in) throws Exception {
        byte[] bytes = encode(in);
        assertThat(Arrays.copyOf(bytes, 4)).isEqualTo(new byte[] {'S', 'T', 'E', 2});
        List<Event> out = TeeFrames.decode(bytes, 0, bytes.length, LIMITS);
        assertThat(out).hasSize(in.length);
        for (int i = 0; i < in.length; i++) {
            assertThat(out.get(i).headers()).as("event %d", i).isEqualTo(in[i].headers());
            assertThat(out.get(i).body()).as("event %d", i).isEqualTo(in[i].body());
        }
    }

    @Test
    void eventsComeBackWithTheirHeadersEmptyAndBigBodies() throws Exception {
        byte[] big = new byte[300_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        Map<String, String> shared = Map.of("host", "h1", "ts", "17");
        assertRoundTrip(event("alice,/home", "host", "h1", "ts", "17"), event(""), event("x", "clé", "välue ✓"),
                Event.wrap(shared, "a".getBytes(StandardCharsets.UTF_8)), Event.wrap(shared, new byte[0]),
                Event.wrap(Map.of(), new byte[] {0, -1, 10, 13, 34, 92}), Event.wrap(Map.of("k", ""), big),
                event("z", "host", "h1", "ts", "17"), event("", "", ""));
    }

    @Test
    void bodiesWithNoHeadersCarryNoHeaderFieldsAndSharedSetsAreWrittenOnce() throws Exception {
        byte[] plain = encode(event("ab"), event("c"));
        // magic, count 2, 3 body bytes, "abc", lengths 2 and 1, no header sets
        assertThat(plain).isEqualTo(new byte[] {'S', 'T', 'E', 2, 0, 0, 0, 2, 0, 0, 0, 3, 'a', 'b', 'c', 2, 1, 0});

        Map<String, String> h = Map.of("k", "v");
        byte[] sets = encode(Event.wrap(h, new byte[] {'x'}), event("y"), Event.wrap(Map.of("k", "v"),
                new byte[] {'z'}));
        assertThat(sets).isEqualTo(new byte[] {'S', 'T', 'E', 2, 0, 0, 0, 3, 0, 0, 0, 3, 'x', 'y', 'z', 1, 1, 1,
            1, 1, 1, 'k', 1, 'v', 1, 0, 1});
        List<Event> out = TeeFrames.decode(sets, 0, sets.length, LIMITS);
        assertThat(out.get(0).headers()).isSameAs(out.get(2).headers()).isEqualTo(h);
        assertThat(out.get(1).headers()).isEmpty();
    }

    @Test
    void sizeIsTheFinishedSizeAtEveryStepAndDropLastUndoesAnEventWithItsNewHeaderSet() throws Exception {
        TeeFrames.BatchWriter w = new TeeFrames.BatchWriter(8);
        w.write(event("first", "a", "b"));
        w.reset();
        List<Event> in = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            Event e = i % 7 == 0 ? event("x".repeat(i % 300), "n", Integer.toString(i % 200)) : event(Integer.toString(i));
            int before = w.size();
            w.write(e);
            assertThat(w.size()).isGreaterThan(before);
            if (i % 11 == 0) {
                w.dropLast(before);
                assertThat(w.size()).isEqualTo(before);
            } else {
                in.add(e);
            }
        }
        int size = w.size();
        w.finish();
        assertThat(w.size()).isEqualTo(size);
        assertThat(w.events()).isEqualTo(in.size());
        List<Event> out = TeeFrames.decode(w.buffer(), 0, w.size(), new TeeFrames.Limits(5000, 1 << 20, 10, 1 << 20));
        assertThat(out).hasSize(in.size());
        for (int i = 0; i < in.size(); i++) {
            assertThat(out.get(i).headers()).isEqualTo(in.get(i).headers());
            assertThat(out.get(i).body()).isEqualTo(in.get(i).body());
        }
        assertThatThrownBy(() -> w.write(event("late"))).isInstanceOf(IllegalStateException.class);
        w.reset();
        w.write(event("again"));
        assertThat(TeeFrames.decode(w.toByteArray(), 0, w.size(), LIMITS)).singleElement()
                .satisfies(e -> assertThat(e.bodyAsString()).isEqualTo("again"));
    }

    @Test
    void invalidUtf8InAHeaderValueIsReadAsReplacementCharacters() throws Exception {
        byte[] bytes = encode(event("b", "k", "vv"));
        // the value's two bytes, just before the one reference at the end
        bytes[bytes.length - 3] = (byte) 0xC3;
        bytes[bytes.length - 2] = (byte) 0x28;
        List<Event> out = TeeFrames.decode(bytes, 0, bytes.length, LIMITS);
        assertThat(out.get(0).headers()).containsEntry("k", "\uFFFD(");
        assertThat(out.get(0).bodyAsString()).isEqualTo("b");
    }

    @Test
    void anEmptyBatchHoldsNoEvents() throws Exception {
        byte[] bytes = new TeeFrames.BatchWriter(16).toByteArray();
        assertThat(bytes).hasSize(13);
        assertThat(TeeFrames.decode(bytes, 0, bytes.length, LIMITS)).isEmpty();
    }

    @Test
    void everyTruncationIsRefusedSayingWhere() {
        byte[] bytes = encode(event("one", "k", "v"), event("two"), event("x".repeat(200), "k", "w"));
        for (int cut = bytes.length - 1; cut > 4; cut--) {
            int c = cut;
            assertThatThrownBy(() -> TeeFrames.decode(bytes, 0, c, LIMITS))
                    .as("cut at %d", cut)
                    .isInstanceOf(TeeFrames.MalformedBody.class)
                    .satisfies(e -> assertThat(((TeeFrames.MalformedBody) e).overLimit()).isFalse())
                    .hasMessageMatching("(?s)at byte \\d+: .*");
        }
    }

    @Test
    void inconsistentFieldsAreNamed() {
        byte[] sum = encode(event("body"), event("b"));
        sum[12 + 5] = 3; // the first body length: 3 + 1 where the bodies take 5 bytes
        assertThatThrownBy(() -> TeeFrames.decode(sum, 0, sum.length, LIMITS))
                .hasMessageContaining("at byte 8: the bodies' size 5 is not the 4 bytes the events' body lengths add up to");
        byte[] negative = encode(event("body"));
        ByteBuffer.wrap(negative).putInt(4, -1);
        assertThatThrownBy(() -> TeeFrames.decode(negative, 0, negative.length, LIMITS))
                .hasMessageContaining("its event count -1 is negative");
        byte[] ref = encode(event("b", "k", "v"));
        ref[ref.length - 1] = 2; // the event's header set: only one set exists
        assertThatThrownBy(() -> TeeFrames.decode(ref, 0, ref.length, LIMITS))
                .hasMessageContaining("event 1's header set 2 is not one of the 1 sets of the body");
        byte[] trailing = Arrays.copyOf(encode(event("b")), 16);
        assertThatThrownBy(() -> TeeFrames.decode(trailing, 0, trailing.length, LIMITS))
                .hasMessageContaining("1 byte(s) follow the last field of the body");
        byte[] varint = encode(event("b"));
        varint[varint.length - 2] = (byte) 0xff; // the body length: a varint running past the end
        varint[varint.length - 1] = (byte) 0xff;
        assertThatThrownBy(() -> TeeFrames.decode(varint, 0, varint.length, LIMITS))
                .hasMessageContaining("at byte 13: an event's body length is cut off (truncated?)");
        byte[] wide = Arrays.copyOf(encode(event("b")), 19);
        Arrays.fill(wide, 13, 18, (byte) 0xff); // six bytes of varint: more than an int holds
        assertThatThrownBy(() -> TeeFrames.decode(wide, 0, wide.length, LIMITS))
                .hasMessageContaining("at byte 13: an event's body length is not a varint of at most 5 bytes");
        byte[] version = encode(event("b"));
        version[3] = 3;
        assertThatThrownBy(() -> TeeFrames.decode(version, 0, version.length, LIMITS))
                .hasMessageContaining("magic bytes 'STE' 0x01 or 'STE' 0x02 (format versions 1 and 2)");
    }

    @Test
    void limitsAreCheckedAndSaySo() {
        TeeFrames.Limits small = new TeeFrames.Limits(2, 64, 1, 16);
        byte[] three = encode(event("a"), event("b"), event("c"));
        assertThatThrownBy(() -> TeeFrames.decode(three, 0, three.length, small))
                .satisfies(e -> assertThat(((TeeFrames.MalformedBody) e).overLimit()).isTrue())
                .hasMessageContaining("more than 2 events in one body");
        byte[] headers = encode(event("a", "k1", "v", "k2", "v"));
        assertThatThrownBy(() -> TeeFrames.decode(headers, 0, headers.length, small))
                .satisfies(e -> assertThat(((TeeFrames.MalformedBody) e).overLimit()).isTrue())
                .hasMessageContaining("its 2 headers exceed the limit of 1 headers per event");
        byte[] body = encode(event("x".repeat(20)));
        assertThatThrownBy(() -> TeeFrames.decode(body, 0, body.length, small))
                .satisfies(e -> assertThat(((TeeFrames.MalformedBody) e).overLimit()).isTrue())
                .hasMessageContaining("its body length 20 exceeds the limit of 16 bytes per body");
        byte[] event = encode(event("x".repeat(10), "k", "v".repeat(60)));
        assertThatThrownBy(() -> TeeFrames.decode(event, 0, event.length, small))
                .satisfies(e -> assertThat(((TeeFrames.MalformedBody) e).overLimit()).isTrue())
                .hasMessageContaining("exceed the limit of 64 bytes per event");
    }

    @Test
    void theVersionOneLayoutIsStillReadBesideIt() throws Exception {
        TeeFrames.Writer v1 = new TeeFrames.Writer(16);
        v1.write(event("old", "host", "h1"));
        List<Event> out = TeeFrames.decode(v1.buffer(), 0, v1.size(), LIMITS);
        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.headers()).isEqualTo(Map.of("host", "h1"));
            assertThat(e.bodyAsString()).isEqualTo("old");
        });
    }

    @Test
    void theVersionTwoExampleInTheServerDocsDecodesAndIsWhatTheWriterWrites() throws Exception {
        // docs/rtsql-server.md: printf 'STE\x02\x00\x00\x00\x01\x00\x00\x00\x0balice,/home\x0b\x01\x01\x04host\x02h1\x01'
        byte[] doc = ByteBuffer.allocate(35).put(new byte[] {'S', 'T', 'E', 2}).putInt(1).putInt(11)
                .put("alice,/home".getBytes(StandardCharsets.US_ASCII)).put(new byte[] {11, 1, 1, 4})
                .put("host".getBytes(StandardCharsets.US_ASCII)).put((byte) 2).put("h1".getBytes(StandardCharsets.US_ASCII))
                .put((byte) 1).array();
        assertThat(TeeFrames.decode(doc, 0, doc.length, LIMITS)).singleElement().satisfies(e -> {
            assertThat(e.headers()).isEqualTo(Map.of("host", "h1"));
            assertThat(e.bodyAsString()).isEqualTo("alice,/home");
        });
        assertThat(encode(event("alice,/home", "host", "h1"))).isEqualTo(doc);
    }
}
