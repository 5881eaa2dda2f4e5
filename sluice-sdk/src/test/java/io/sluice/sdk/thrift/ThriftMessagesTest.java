package io.sluice.sdk.thrift;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.sluice.api.Event;
import io.sluice.sdk.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ThriftMessagesTest {

    private static List<Event> events(int n) {
        List<Event> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Event.of(i % 3 == 0 ? Map.of() : Map.of("k" + i, "v\u00e9" + i, "seq", "" + i),
                    ("body-" + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(ThriftProtocol.class)
    void callsAndRepliesRoundTripInBothProtocols(ThriftProtocol protocol) {
        List<Event> sent = events(40); // more than 14, so the compact list header carries a varint size
        ByteBuf buf = Unpooled.buffer();
        ThriftMessages.writeAppendBatch(buf, protocol, 12345, sent, 0, sent.size());
        ThriftMessages.Call call = ThriftMessages.readCall(buf);
        assertThat(call.protocol()).isEqualTo(protocol);
        assertThat(call.method()).isEqualTo(ThriftMessages.APPEND_BATCH);
        assertThat(call.seqid()).isEqualTo(12345);
        assertThat(call.events()).containsExactlyElementsOf(sent);
        assertThat(buf.isReadable()).isFalse();

        ByteBuf one = Unpooled.buffer();
        ThriftMessages.writeAppend(one, protocol, -7, sent.get(1));
        assertThat(ThriftMessages.readCall(one).events()).containsExactly(sent.get(1));

        ByteBuf reply = Unpooled.buffer();
        ThriftMessages.writeReply(reply, protocol, ThriftMessages.APPEND_BATCH, 12345, ThriftMessages.STATUS_FAILED);
        assertThat(ThriftMessages.readReply(reply, protocol, ThriftMessages.APPEND_BATCH, 12345))
                .isEqualTo(new ThriftMessages.Reply(ThriftMessages.STATUS_FAILED, null));

        ByteBuf ex = Unpooled.buffer();
        ThriftMessages.writeException(ex, protocol, "x", 3, ThriftMessages.UNKNOWN_METHOD, "Invalid method name: 'x'");
        assertThat(ThriftMessages.readReply(ex, protocol, "x", 3).error()).contains("Invalid method name: 'x'");
    }

    @Test
    void replyToAnotherCallIsRefused() {
        ByteBuf reply = Unpooled.buffer();
        ThriftMessages.writeReply(reply, ThriftProtocol.COMPACT, ThriftMessages.APPEND, 2, 0);
        assertThatThrownBy(() -> ThriftMessages.readReply(reply, ThriftProtocol.COMPACT, ThriftMessages.APPEND, 3))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("append#2");
    }

    @Test
    void hostileSizesFailBeforeAllocating() {
        // compact appendBatch whose list declares 2^31-1 structs in a 20-byte message
        byte[] m = {(byte) 0x82, 0x21, 0x01, 0x0b, 'a', 'p', 'p', 'e', 'n', 'd', 'B', 'a', 't', 'c', 'h', 0x19,
            (byte) 0xfc, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x07};
        assertThatThrownBy(() -> ThriftMessages.readCall(Unpooled.wrappedBuffer(m)))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("declares 2147483647 elements");
        assertThatThrownBy(() -> ThriftMessages.readCall(Unpooled.wrappedBuffer(new byte[] {0x42, 0x01})))
                .isInstanceOf(WireFormatException.class).hasMessageContaining("byte 0x42");
    }

    private static String frameError(int... ints) {
        byte[] bytes = new byte[ints.length];
        for (int i = 0; i < ints.length; i++) {
            bytes[i] = (byte) ints[i];
        }
        EmbeddedChannel ch = new EmbeddedChannel(new ThriftFrameDecoder(1 << 20));
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(bytes));
            return "no error";
        } catch (DecoderException e) {
            return e.getCause().getMessage();
        } finally {
            ch.releaseInbound();
            ch.close(); // the decoder fails again on the bytes it still holds; that second failure is expected
        }
    }

    @Test
    void frameDecoderSaysWhatTheBytesLookLike() {
        assertThat(frameError(0x80, 0x01, 0x00, 0x01)).contains("unframed Thrift message");
        assertThat(frameError(0x82, 0x21, 0x01, 0x0b)).contains("unframed Thrift message");
        assertThat(frameError(0x16, 0x03, 0x01, 0x02)).contains("TLS handshake");
        assertThat(frameError('P', 'O', 'S', 'T')).contains("sent text (POST...)");
        assertThat(frameError(0x10, 0x00, 0x00, 0x00)).contains("above the limit of 1048576 bytes");
        assertThat(frameError(0x00, 0x00, 0x00, 0x00)).contains("a frame of 0 bytes");
    }

    @Test
    void frameDecoderSplitsFramesArrivingInPieces() {
        EmbeddedChannel ch = new EmbeddedChannel(new ThriftFrameDecoder(1 << 20));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {0, 0, 0, 2, 'a'}));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'b', 0, 0, 0, 1, 'c'}));
        ByteBuf first = ch.readInbound();
        ByteBuf second = ch.readInbound();
        assertThat(first.toString(StandardCharsets.US_ASCII)).isEqualTo("ab");
        assertThat(second.toString(StandardCharsets.US_ASCII)).isEqualTo("c");
        first.release();
        second.release();
        ch.finishAndReleaseAll();
    }
}
