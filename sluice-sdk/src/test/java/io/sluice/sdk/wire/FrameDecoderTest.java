package io.sluice.sdk.wire;

import io.netty.buffer.AbstractByteBufAllocator;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledHeapByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FrameDecoderTest {

    /** Remembers the largest buffer anyone asked it for. */
    static final class RecordingAllocator extends AbstractByteBufAllocator {
        final AtomicInteger largest = new AtomicInteger();

        RecordingAllocator() {
            super(false);
        }

        @Override
        protected ByteBuf newHeapBuffer(int initialCapacity, int maxCapacity) {
            largest.accumulateAndGet(initialCapacity, Math::max);
            return new UnpooledHeapByteBuf(this, initialCapacity, maxCapacity);
        }

        @Override
        protected ByteBuf newDirectBuffer(int initialCapacity, int maxCapacity) {
            return newHeapBuffer(initialCapacity, maxCapacity);
        }

        @Override
        public boolean isDirectBufferPooled() {
            return false;
        }
    }

    private static EmbeddedChannel channel(long max, ByteBufAllocator alloc) {
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.config().setAllocator(alloc);
        ch.pipeline().addLast(new FrameDecoder(max));
        return ch;
    }

    private static String text(Frame f) {
        try {
            return f.payload().toString(StandardCharsets.UTF_8);
        } finally {
            f.release();
        }
    }

    @Test
    void framesSplitAcrossReadsAndJoinedFromSeveralBuffersComeOutWhole() {
        EmbeddedChannel ch = channel(1 << 20, ByteBufAllocator.DEFAULT);
        ByteBuf wire = Unpooled.buffer();
        wire.writeInt(7).writeInt(2).writeInt(5).writeBytes("hello".getBytes()).writeInt(6).writeBytes(" world".getBytes());
        wire.writeInt(8).writeInt(1).writeInt(3).writeBytes("abc".getBytes());
        wire.writeInt(9).writeInt(0);
        while (wire.isReadable()) {
            ch.writeInbound(wire.readRetainedSlice(Math.min(3, wire.readableBytes())));
        }
        Frame a = ch.readInbound();
        Frame b = ch.readInbound();
        Frame c = ch.readInbound();
        assertThat(a.serial()).isEqualTo(7);
        assertThat(text(a)).isEqualTo("hello world");
        assertThat(b.serial()).isEqualTo(8);
        assertThat(text(b)).isEqualTo("abc");
        assertThat(c.serial()).isEqualTo(9);
        assertThat(text(c)).isEmpty();
        assertThat((Object) ch.readInbound()).isNull();
        wire.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void declaredLengthAboveTheLimitIsRefusedAtOnce() {
        EmbeddedChannel ch = channel(1 << 20, ByteBufAllocator.DEFAULT);
        ByteBuf wire = Unpooled.buffer().writeInt(1).writeInt(1).writeInt(Integer.MAX_VALUE).writeByte(1);
        assertThatThrownBy(() -> ch.writeInbound(wire)).isInstanceOf(DecoderException.class)
                .hasCauseInstanceOf(WireFormatException.class)
                .hasMessageContaining("above the limit of 1048576 bytes");
        ch.releaseInbound();
    }

    @Test
    void negativeCountOrLengthIsRefused() {
        EmbeddedChannel ch = channel(1 << 20, ByteBufAllocator.DEFAULT);
        assertThatThrownBy(() -> ch.writeInbound(Unpooled.buffer().writeInt(1).writeInt(-1)))
                .hasCauseInstanceOf(WireFormatException.class).hasMessageContaining("-1 buffers");
        EmbeddedChannel ch2 = channel(1 << 20, ByteBufAllocator.DEFAULT);
        assertThatThrownBy(() -> ch2.writeInbound(Unpooled.buffer().writeInt(1).writeInt(1).writeInt(-5)))
                .hasCauseInstanceOf(WireFormatException.class).hasMessageContaining("negative length -5");
    }

    @Test
    void largeDeclaredLengthWithinTheLimitAllocatesOnlyWhatArrived() {
        RecordingAllocator alloc = new RecordingAllocator();
        EmbeddedChannel ch = channel(128L << 20, alloc);
        // declares 100 MiB, sends 4 KiB of it
        ch.writeInbound(alloc.buffer().writeInt(1).writeInt(1).writeInt(100 << 20).writeZero(4096));
        ch.writeInbound(alloc.buffer().writeZero(4096));
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(alloc.largest.get()).isLessThan(64 * 1024);
        assertThat(ch.pipeline().get(FrameDecoder.class).hasPartialFrame()).isTrue();
        ch.finishAndReleaseAll();
    }

    @Test
    void aSkippingDecoderPassesOnTheSerialOfAnOversizeFrameSkipsItAndDecodesTheNext() {
        EmbeddedChannel ch = new EmbeddedChannel(new FrameDecoder(1024, true));
        // frame 5: two buffers of 800 bytes (over 1024 once the second length is read), in pieces
        ch.writeInbound(Unpooled.buffer().writeInt(5).writeInt(2).writeInt(800).writeZero(300));
        assertThat((Object) ch.readInbound()).isNull();
        ch.writeInbound(Unpooled.buffer().writeZero(500).writeInt(800).writeZero(400));
        OversizeFrame oversize = ch.readInbound();
        assertThat(oversize.serial()).isEqualTo(5);
        assertThat(oversize.declaredBytes()).isEqualTo(1600);
        assertThat(oversize.limit()).isEqualTo(1024);
        assertThat(oversize.head().readableBytes()).as("the first buffer, received whole").isEqualTo(800);
        oversize.head().release();
        ch.writeInbound(Unpooled.buffer().writeZero(400).writeInt(6).writeInt(1).writeInt(3)
                .writeBytes("abc".getBytes(StandardCharsets.UTF_8)));
        Frame next = ch.readInbound();
        assertThat(next.serial()).isEqualTo(6);
        assertThat(text(next)).isEqualTo("abc");
        assertThat((Object) ch.readInbound()).isNull();
        ch.finishAndReleaseAll();
    }
}
