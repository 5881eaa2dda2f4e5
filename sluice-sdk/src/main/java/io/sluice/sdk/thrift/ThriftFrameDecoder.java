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
 * allocated from a declared length: a length below 1 fails with a {@link WireFormatException} as
 * soon as its four bytes arrive, and the message says what the bytes look like when they are not
 * a frame at all (an unframed Thrift message, a TLS handshake, an HTTP request).
 *
 * <p>A length above {@code maxFrameBytes} fails the same way, unless the decoder is built to
 * answer over-size frames: it then waits for the first {@value #HEADER_BYTES} bytes of the
 * message (no more), reads the call's header from them and passes on an {@link OversizeCall} so
 * the caller can be answered, then discards the frame's bytes as they arrive, holding none, and
 * goes on with the next frame. Bytes after the length that cannot start a Thrift call fail at
 * once, as before.
 *
 * <p>One instance per channel; not thread-safe.
 */
public final class ThriftFrameDecoder extends ByteToMessageDecoder {
    /** Bytes of an over-size message read for its call header (a method name is far shorter). */
    static final int HEADER_BYTES = 256;

    private final long maxFrameBytes;
    private final boolean answerOversize;
    /** While skipping an over-size frame: its bytes not received yet. */
    private long skipBytes;
    /** Frames passed on whole or skipped to their end. */
    private long completedFrames;

    /** A decoder that fails on a frame over {@code maxFrameBytes}. */
    public ThriftFrameDecoder(long maxFrameBytes) {
        this(maxFrameBytes, false);
    }

    /**
     * @param answerOversize pass an {@link OversizeCall} on for a frame over {@code maxFrameBytes}
     *                       and skip its bytes, instead of failing
     */
    public ThriftFrameDecoder(long maxFrameBytes, boolean answerOversize) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: > 0)");
        }
        this.maxFrameBytes = maxFrameBytes;
        this.answerOversize = answerOversize;
    }

    /** How many frames were passed on whole or, when over the limit, skipped to their end. */
    public long completedFrames() {
        return completedFrames;
    }

    /** Whether part of a frame has been received (or is being skipped) and the rest is still missing. */
    public boolean hasPartialFrame() {
        if (skipBytes > 0) {
            return true;
        }
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
        while (true) {
            if (skipBytes > 0) {
                int n = (int) Math.min(skipBytes, in.readableBytes());
                in.skipBytes(n);
                skipBytes -= n;
                if (skipBytes > 0) {
                    return;
                }
                completedFrames++;
            }
            if (in.readableBytes() < 4) {
                return;
            }
            int start = in.readerIndex();
            int len = in.getInt(start);
            if (len < 1) {
                throw new WireFormatException(describeBadLength(in, start, len));
            }
            if (len > maxFrameBytes) {
                if (!answerOversize || !mayStartCall(in, start)) {
                    throw new WireFormatException(describeBadLength(in, start, len));
                }
                int head = Math.min(len, HEADER_BYTES);
                if (in.readableBytes() - 4 < head) {
                    return; // the call's header is not all here yet (read-timeout covers a stall)
                }
                OversizeCall call;
                try {
                    call = ThriftMessages.readCallHeader(in.slice(start + 4, head), len, maxFrameBytes);
                } catch (WireFormatException | IndexOutOfBoundsException e) {
                    throw new WireFormatException(describeBadLength(in, start, len) + "; its first bytes are not"
                            + " a Thrift call either (" + e.getMessage() + ")");
                }
                in.readerIndex(start + 4);
                skipBytes = len;
                out.add(call);
                continue;
            }
            if (in.readableBytes() - 4 < len) {
                return;
            }
            out.add(in.retainedSlice(start + 4, len));
            in.readerIndex(start + 4 + len);
            completedFrames++;
        }
    }

    /**
     * Whether the bytes after an over-size length may start a Thrift call (Apache Flume's clients
     * write strict binary, {@code 0x80}, or compact, {@code 0x82}; {@code 0x00} is the old
     * non-strict binary), judged on what has arrived: a TLS record or text is refused at once.
     */
    private static boolean mayStartCall(ByteBuf in, int start) {
        if (in.readableBytes() < 5) {
            return true;
        }
        int b = in.getUnsignedByte(start + 4);
        boolean tls = in.getUnsignedByte(start) == 0x16 && in.getUnsignedByte(start + 1) == 0x03;
        return b == 0x80 || b == CompactReader.PROTOCOL_ID || b == 0x00 && !tls;
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
