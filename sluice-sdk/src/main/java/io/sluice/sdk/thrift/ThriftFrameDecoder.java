package io.sluice.sdk.thrift;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.sluice.sdk.wire.WireFormatException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits a byte stream into Thrift framed-transport messages: a 4-byte big-endian length, then
 * that many bytes. Each message is passed on as a slice of the received bytes. Nothing is
 * allocated from a declared length: a length below 1 or above {@code maxFrameBytes} fails with a
 * {@link WireFormatException} as soon as its four bytes arrive, and the message says what the
 * bytes look like when they are not a frame at all (an unframed Thrift message, a TLS handshake,
 * an HTTP request).
 *
 * <p>One instance per channel; not thread-safe.
 */
public final class ThriftFrameDecoder extends ByteToMessageDecoder {
    private final long maxFrameBytes;

    public ThriftFrameDecoder(long maxFrameBytes) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: > 0)");
        }
        this.maxFrameBytes = maxFrameBytes;
    }

    /** Whether part of a frame has been received and the rest is still missing. */
    public boolean hasPartialFrame() {
        ByteBuf buffered = internalBuffer();
        return buffered != null && buffered.isReadable();
    }

    /** Memory held for a frame not yet complete (the accumulating buffer's capacity), or 0. */
    public int heldBytes() {
        ByteBuf buffered = internalBuffer();
        return buffered == null || !buffered.isReadable() ? 0 : buffered.capacity();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= 4) {
            int start = in.readerIndex();
            int len = in.getInt(start);
            if (len < 1 || len > maxFrameBytes) {
                throw new WireFormatException(describeBadLength(in, start, len));
            }
            if (in.readableBytes() - 4 < len) {
                return;
            }
            out.add(in.retainedSlice(start + 4, len));
            in.readerIndex(start + 4 + len);
        }
    }

    private String describeBadLength(ByteBuf in, int start, int len) {
        int b0 = in.getUnsignedByte(start);
        int b1 = in.getUnsignedByte(start + 1);
        if (b0 == 0x80 && b1 == 0x01 || b0 == CompactReader.PROTOCOL_ID && (b1 & 0x1f) == CompactReader.VERSION) {
            return "sent an unframed Thrift message; Apache Flume's Thrift protocol uses framed transport"
                    + " (TFramedTransport or TFastFramedTransport)";
        }
        if (b0 == 0x16 && b1 == 0x03) {
            return "sent a TLS handshake to a source without ssl; set ssl = true on the source or turn TLS off"
                    + " on the sender";
        }
        if (isAsciiWord(in, start)) {
            return "sent text (" + in.toString(start, 4, StandardCharsets.US_ASCII)
                    + "...) instead of a Thrift frame; is it an HTTP client or another protocol?";
        }
        if (len < 1) {
            return "declared a frame of " + len + " bytes (expected 1 to " + maxFrameBytes + ")";
        }
        return "declared a frame of " + len + " bytes, above the limit of " + maxFrameBytes
                + " bytes (raise max-frame-bytes if such batches are expected)";
    }

    private static boolean isAsciiWord(ByteBuf in, int start) {
        for (int i = 0; i < 4; i++) {
            int b = in.getUnsignedByte(start + i);
            if (b < 0x20 || b > 0x7e) {
                return false;
            }
        }
        return true;
    }
}
