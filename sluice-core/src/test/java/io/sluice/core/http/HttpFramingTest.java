package io.sluice.core.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Requests whose framing is ambiguous are refused and nothing after them on the connection is read
 * as another request; well-framed requests, pipelined or chunked, pass.
 */
class HttpFramingTest {
    private final List<String> refusals = new ArrayList<>();

    private EmbeddedChannel channel() {
        return new EmbeddedChannel(new StrictHttpRequestDecoder(), new HttpResponseEncoder(),
                new HttpFramingGuard((ctx, status, reason) -> refusals.add(status.code() + " " + reason), null, null),
                new HttpObjectAggregator(1 << 20));
    }

    private static List<String> bodiesRead(EmbeddedChannel ch, String bytes) {
        ch.writeInbound(Unpooled.copiedBuffer(bytes, StandardCharsets.US_ASCII));
        List<String> bodies = new ArrayList<>();
        for (Object o; (o = ch.readInbound()) != null; ) {
            FullHttpRequest r = (FullHttpRequest) o;
            bodies.add(r.content().toString(StandardCharsets.US_ASCII));
            r.release();
        }
        return bodies;
    }

    private static String answer(EmbeddedChannel ch) {
        StringBuilder out = new StringBuilder();
        for (Object o; (o = ch.readOutbound()) != null; ) {
            out.append(((ByteBuf) o).toString(StandardCharsets.US_ASCII));
            ((ByteBuf) o).release();
        }
        return out.toString();
    }

    private static final String SMUGGLED = "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 17\r\n\r\nsmuggled";

    @Test
    void wellFramedPipelinedRequestsPass() {
        EmbeddedChannel ch = channel();
        String first = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 12\r\n\r\n[\n {\"a\":1}]\n";
        String second = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n3\r\n\n [\r\n1\r\n]\r\n0\r\n\r\n";
        assertThat(bodiesRead(ch, first + second)).containsExactly("[\n {\"a\":1}]\n", "\n []");
        assertThat(refusals).isEmpty();
        assertThat(ch.isOpen()).isTrue();
    }

    @Test
    void longHeadsAreNotMistakenForFolding() {
        EmbeddedChannel ch = channel();
        String head = "POST / HTTP/1.1\r\nHost: h\r\nX-Long: " + "v".repeat(3000) + "\r\nContent-Length: 2\r\n\r\n[]";
        assertThat(bodiesRead(ch, head)).containsExactly("[]");
        assertThat(refusals).isEmpty();
    }

    @Test
    void contentLengthWithTransferEncodingIsRefusedAndTheRestIsNotARequest() {
        EmbeddedChannel ch = channel();
        String attack = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 80\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"
                + SMUGGLED;
        assertThat(bodiesRead(ch, attack)).isEmpty();
        assertThat(refusals).singleElement().asString().startsWith("400").contains("both Content-Length and");
        assertThat(answer(ch)).startsWith("HTTP/1.1 400").contains("connection: close");
        assertThat(ch.isOpen()).isFalse();
    }

    /** Sends {@code request}; it must be refused with {@code statuses}, the rest unread, the connection closed. */
    private void assertRefused(String request, String statuses) {
        refusals.clear();
        EmbeddedChannel ch = channel();
        assertThat(bodiesRead(ch, request + SMUGGLED)).as(request).isEmpty();
        assertThat(refusals).as(request).singleElement().asString().matches("(" + statuses + ") .*");
        assertThat(ch.isOpen()).as(request).isFalse();
    }

    @Test
    void duplicateOrConflictingLengthsAreRefused() {
        for (String lengths : List.of("Content-Length: 8\r\nContent-Length: 30\r\n",
                "Content-Length: 8\r\nContent-Length: 8\r\n", "Content-Length: 8, 30\r\n", "Content-Length: +8\r\n")) {
            assertRefused("POST / HTTP/1.1\r\nHost: h\r\n" + lengths + "\r\n12345678", "400");
        }
    }

    @Test
    void obsoleteLineFoldingIsRefused() {
        EmbeddedChannel ch = channel();
        String folded = "POST / HTTP/1.1\r\nHost: h\r\nX-Note: a\r\n Content-Length: 99\r\nContent-Length: 8\r\n\r\n12345678"
                + SMUGGLED;
        assertThat(bodiesRead(ch, folded)).isEmpty();
        assertThat(refusals).singleElement().asString().startsWith("400").contains("folding");
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void transferEncodingOtherThanChunkedIsRefused() {
        for (String te : List.of("gzip", "gzip, chunked", "chunked, identity", "xchunked")) {
            assertRefused("POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: " + te + "\r\n\r\n0\r\n\r\n", "501|400");
        }
        assertRefused("POST / HTTP/1.0\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400");
    }
}
