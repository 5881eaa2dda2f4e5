package io.sluice.core.tap;

import io.sluice.api.Event;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
}
