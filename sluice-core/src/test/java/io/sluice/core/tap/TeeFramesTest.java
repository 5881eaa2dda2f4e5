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

class TeeFramesTest {
    private static final TeeFrames.Limits LIMITS = new TeeFrames.Limits(1000, 1 << 20, 100, 1 << 20);

    private static Event event(String body, String... headers) {
        Map<String, String> h = new LinkedHashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return Event.wrap(h, body.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] encode(Event... events) {
        TeeFrames.Writer w = new TeeFrames.Writer(16);
        for (Event e : events) {
            w.write(e);
        }
        return w.toByteArray();
    }

    @Test
    void eventsComeBackAsTheyWereWrittenWithTheirHeadersAndBodies() throws Exception {
        Event[] in = {event("alice,/home", "host", "h1", "ts", "17"), event(""), event("x", "clé", "välue ✓"),
            Event.wrap(Map.of(), new byte[] {0, -1, 10, 13, 34, 92})};
        byte[] bytes = encode(in);
        List<Event> out = TeeFrames.decode(bytes, 0, bytes.length, LIMITS);
        assertThat(out).hasSize(in.length);
        for (int i = 0; i < in.length; i++) {
            assertThat(out.get(i).headers()).isEqualTo(in[i].headers());
            assertThat(out.get(i).body()).isEqualTo(in[i].body());
        }
    }

    @Test
    void theLayoutIsTheDocumentedOne() {
        byte[] bytes = encode(event("hi", "k", "v"));
        ByteBuffer b = ByteBuffer.wrap(bytes);
        assertThat(Arrays.copyOf(bytes, 4)).isEqualTo(new byte[] {'S', 'T', 'E', 1});
        b.position(4);
        assertThat(b.getInt()).isEqualTo(4 + 4 + 1 + 4 + 1 + 4 + 2); // length after itself
        assertThat(b.getInt()).isEqualTo(1); // headers
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.get()).isEqualTo((byte) 'k');
        assertThat(b.getInt()).isEqualTo(1);
        assertThat(b.get()).isEqualTo((byte) 'v');
        assertThat(b.getInt()).isEqualTo(2);
        assertThat(b.get()).isEqualTo((byte) 'h');
        assertThat(b.get()).isEqualTo((byte) 'i');
        assertThat(b.hasRemaining()).isFalse();
    }

    @Test
    void theWriterIsReusedAndGrowsForLargeBodies() throws Exception {
        TeeFrames.Writer w = new TeeFrames.Writer(8);
        w.write(event("first"));
        w.reset();
        byte[] big = new byte[100_000];
        Arrays.fill(big, (byte) 7);
        w.write(Event.wrap(Map.of("a", "b"), big));
        int before = w.size();
        w.write(event("dropped"));
        w.dropLast(before);
        assertThat(w.events()).isEqualTo(1);
        List<Event> out = TeeFrames.decode(w.buffer(), 0, w.size(), LIMITS);
        assertThat(out).hasSize(1);
        assertThat(out.get(0).body()).isEqualTo(big);
    }

    @Test
    void anEmptyBodyWithOnlyTheMagicHoldsNoEvents() throws Exception {
        byte[] bytes = new TeeFrames.Writer(16).toByteArray();
        assertThat(TeeFrames.decode(bytes, 0, bytes.length, LIMITS)).isEmpty();
    }

    @Test
    void garbageIsRefusedForItsMissingMagic() {
        byte[] garbage = "{\"headers\":{},\"body\":\"aGk=\"}\n".getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> TeeFrames.decode(garbage, 0, garbage.length, LIMITS))
                .isInstanceOf(TeeFrames.MalformedBody.class)
                .hasMessageContaining("does not start with the application/x-sluice-tee magic bytes");
    }

    @Test
    void aTruncatedBodyNamesTheEventAndWhatIsMissing() {
        byte[] bytes = encode(event("one", "k", "v"), event("two", "k", "v"));
        int firstEnd = 4 + 4 + ByteBuffer.wrap(bytes).getInt(4);
        for (int cut = bytes.length - 1; cut > 4; cut--) {
            if (cut == firstEnd) {
                continue; // a whole first event: a valid body
            }
            int c = cut;
            assertThatThrownBy(() -> TeeFrames.decode(bytes, 0, c, LIMITS))
                    .as("cut at %d", cut)
                    .isInstanceOf(TeeFrames.MalformedBody.class)
                    .hasMessageMatching("(?s)event [12] \\(at byte \\d+\\): .*(truncated|left).*");
        }
    }

    @Test
    void inconsistentLengthsAreNamed() {
        byte[] bytes = encode(event("body", "k", "v"));
        ByteBuffer.wrap(bytes).putInt(4 + 4 + 4, 1000); // the first header name's length
        assertThatThrownBy(() -> TeeFrames.decode(bytes, 0, bytes.length, LIMITS))
                .hasMessageContaining("event 1 (at byte 4): the length of header 1's name is 1000 bytes but only");
        byte[] b2 = encode(event("body"));
        ByteBuffer.wrap(b2).putInt(4 + 4 + 4, 3); // body length 3 of 4
        assertThatThrownBy(() -> TeeFrames.decode(b2, 0, b2.length, LIMITS))
                .hasMessageContaining("its body length 3 does not match the 4 bytes");
        byte[] b3 = encode(event("body"));
        ByteBuffer.wrap(b3).putInt(4 + 4, -2);
        assertThatThrownBy(() -> TeeFrames.decode(b3, 0, b3.length, LIMITS))
                .hasMessageContaining("its header count -2 is negative");
    }

    @Test
    void limitsAreCheckedBeforeAnythingIsAllocatedAndSaySo() {
        TeeFrames.Limits small = new TeeFrames.Limits(2, 64, 1, 16);
        byte[] three = encode(event("a"), event("b"), event("c"));
        assertThatThrownBy(() -> TeeFrames.decode(three, 0, three.length, small))
                .satisfies(e -> assertThat(((TeeFrames.MalformedBody) e).overLimit()).isTrue())
                .hasMessageContaining("more than 2 events in one body");
        byte[] headers = encode(event("a", "k1", "v", "k2", "v"));
        assertThatThrownBy(() -> TeeFrames.decode(headers, 0, headers.length, small))
                .hasMessageContaining("its header count 2 exceeds the limit of 1 headers per event");
        byte[] body = encode(event("x".repeat(20)));
        assertThatThrownBy(() -> TeeFrames.decode(body, 0, body.length, small))
                .hasMessageContaining("its body length 20 exceeds the limit of 16 bytes per body");
        byte[] huge = encode(event("x"));
        ByteBuffer.wrap(huge).putInt(4, Integer.MAX_VALUE);
        assertThatThrownBy(() -> TeeFrames.decode(huge, 0, huge.length, small))
                .satisfies(e -> assertThat(((TeeFrames.MalformedBody) e).overLimit()).isTrue())
                .hasMessageContaining("its length 2147483647 exceeds the limit of 64 bytes per event");
    }

    @Test
    void theExampleInTheServerDocsDecodes() throws Exception {
        // docs/rtsql-server.md: printf 'STE\x01\x00\x00\x00\x21\x00\x00\x00\x01\x00\x00\x00\x04host...'
        byte[] doc = ByteBuffer.allocate(41).put(new byte[] {'S', 'T', 'E', 1}).putInt(0x21).putInt(1).putInt(4)
                .put("host".getBytes(StandardCharsets.US_ASCII)).putInt(2).put("h1".getBytes(StandardCharsets.US_ASCII))
                .putInt(0x0b).put("alice,/home".getBytes(StandardCharsets.US_ASCII)).array();
        List<Event> out = TeeFrames.decode(doc, 0, doc.length, LIMITS);
        assertThat(out).singleElement().satisfies(e -> {
            assertThat(e.headers()).isEqualTo(Map.of("host", "h1"));
            assertThat(e.bodyAsString()).isEqualTo("alice,/home");
        });
        assertThat(encode(event("alice,/home", "host", "h1"))).isEqualTo(doc);
    }

    // ---- version 2, the batch-level layout ----

    private static byte[] encode2(Event... events) {
        TeeFrames.BatchWriter w = new TeeFrames.BatchWriter(16);
        for (Event e : events) {
            w.write(e);
        }
        return w.toByteArray();
    }

    private static void assertRoundTrip(Event... in) throws Exception {
        byte[] bytes = encode2(in);
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
        byte[] plain = encode2(event("ab"), event("c"));
        // magic, count 2, 3 body bytes, "abc", lengths 2 and 1, no header sets
        assertThat(plain).isEqualTo(new byte[] {'S', 'T', 'E', 2, 0, 0, 0, 2, 0, 0, 0, 3, 'a', 'b', 'c', 2, 1, 0});

        Map<String, String> h = Map.of("k", "v");
        byte[] sets = encode2(Event.wrap(h, new byte[] {'x'}), event("y"), Event.wrap(Map.of("k", "v"),
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
        byte[] bytes = encode2(event("b", "k", "vv"));
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
        byte[] bytes = encode2(event("one", "k", "v"), event("two"), event("x".repeat(200), "k", "w"));
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
        byte[] sum = encode2(event("body"), event("b"));
        sum[12 + 5] = 3; // the first body length: 3 + 1 where the bodies take 5 bytes
        assertThatThrownBy(() -> TeeFrames.decode(sum, 0, sum.length, LIMITS))
                .hasMessageContaining("at byte 8: the bodies' size 5 is not the 4 bytes the events' body lengths add up to");
        byte[] negative = encode2(event("body"));
        ByteBuffer.wrap(negative).putInt(4, -1);
        assertThatThrownBy(() -> TeeFrames.decode(negative, 0, negative.length, LIMITS))
                .hasMessageContaining("its event count -1 is negative");
        byte[] ref = encode2(event("b", "k", "v"));
        ref[ref.length - 1] = 2; // the event's header set: only one set exists
        assertThatThrownBy(() -> TeeFrames.decode(ref, 0, ref.length, LIMITS))
                .hasMessageContaining("event 1's header set 2 is not one of the 1 sets of the body");
        byte[] trailing = Arrays.copyOf(encode2(event("b")), 16);
        assertThatThrownBy(() -> TeeFrames.decode(trailing, 0, trailing.length, LIMITS))
                .hasMessageContaining("1 byte(s) follow the last field of the body");
        byte[] varint = encode2(event("b"));
        varint[varint.length - 2] = (byte) 0xff; // the body length: a varint running past the end
        varint[varint.length - 1] = (byte) 0xff;
        assertThatThrownBy(() -> TeeFrames.decode(varint, 0, varint.length, LIMITS))
                .hasMessageContaining("at byte 13: an event's body length is cut off (truncated?)");
        byte[] wide = Arrays.copyOf(encode2(event("b")), 19);
        Arrays.fill(wide, 13, 18, (byte) 0xff); // six bytes of varint: more than an int holds
        assertThatThrownBy(() -> TeeFrames.decode(wide, 0, wide.length, LIMITS))
                .hasMessageContaining("at byte 13: an event's body length is not a varint of at most 5 bytes");
        byte[] version = encode2(event("b"));
        version[3] = 3;
        assertThatThrownBy(() -> TeeFrames.decode(version, 0, version.length, LIMITS))
                .hasMessageContaining("magic bytes 'STE' 0x01 or 'STE' 0x02 (format versions 1 and 2)");
    }

    @Test
    void limitsAreCheckedAndSaySo() {
        TeeFrames.Limits small = new TeeFrames.Limits(2, 64, 1, 16);
        byte[] three = encode2(event("a"), event("b"), event("c"));
        assertThatThrownBy(() -> TeeFrames.decode(three, 0, three.length, small))
                .satisfies(e -> assertThat(((TeeFrames.MalformedBody) e).overLimit()).isTrue())
                .hasMessageContaining("more than 2 events in one body");
        byte[] headers = encode2(event("a", "k1", "v", "k2", "v"));
        assertThatThrownBy(() -> TeeFrames.decode(headers, 0, headers.length, small))
                .satisfies(e -> assertThat(((TeeFrames.MalformedBody) e).overLimit()).isTrue())
                .hasMessageContaining("its 2 headers exceed the limit of 1 headers per event");
        byte[] body = encode2(event("x".repeat(20)));
        assertThatThrownBy(() -> TeeFrames.decode(body, 0, body.length, small))
                .satisfies(e -> assertThat(((TeeFrames.MalformedBody) e).overLimit()).isTrue())
                .hasMessageContaining("its body length 20 exceeds the limit of 16 bytes per body");
        byte[] event = encode2(event("x".repeat(10), "k", "v".repeat(60)));
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
        assertThat(encode2(event("alice,/home", "host", "h1"))).isEqualTo(doc);
    }
}
