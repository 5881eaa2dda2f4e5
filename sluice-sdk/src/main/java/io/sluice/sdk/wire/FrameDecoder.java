package io.sluice.sdk.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream into {@link Frame}s. A frame is {@code int serial, int count} followed
 * by {@code count} times {@code int length, byte[length]} (big-endian), as Avro's Netty
 * transceiver writes it.
 *
 * <p>Nothing is allocated from a declared length: the decoder only inspects the bytes already
 * received, waits until the whole frame is there, and rejects a frame whose declared size exceeds
 * {@code maxFrameBytes} (or whose buffer count or a length is negative) with a
 * {@link WireFormatException} before it is received, or, when built to skip them, passes on an
 * {@link OversizeFrame} with its serial (so the peer can be told) and a copy of its buffers
 * received whole before the limit was passed (at most {@value #HEAD_BYTES} bytes: a first request's
 * handshake), then discards the frame's bytes as they arrive, holding none, and goes on with the
 * next frame. A one-buffer frame is passed
 * on as a slice of the received bytes; a multi-buffer frame is joined into one buffer of the size
 * already received.
 *
 * <p>One instance per channel; not thread-safe.
 */
public final class FrameDecoder extends ByteToMessageDecoder {
    /** Avro's transceiver writes buffers of at most 8 KiB; allow far more, but not without end. */
    private static final int MAX_BUFFERS_PER_FRAME = 1 << 20;
    /**
     * Bytes of an over-size frame's first buffers passed on with it: enough for an Avro handshake
     * (two hashes, the client's protocol text, metadata), the call metadata and the message name.
     */
    public static final int HEAD_BYTES = 64 * 1024;

    private final long maxFrameBytes;
    private final boolean skipOversize;
    /** While skipping an over-size frame: its buffers whose length was not read yet. */
    private int skipBuffers;
    /** While skipping an over-size frame: the bytes left of the buffer being skipped. */
    private long skipBytes;
    /** Frames passed on whole or skipped to their end. */
    private long completedFrames;

    /** A decoder that fails on a frame over {@code maxFrameBytes}. */
    public FrameDecoder(long maxFrameBytes) {
        this(maxFrameBytes, false);
    }

    /** @param skipOversize pass an {@link OversizeFrame} on and skip the frame instead of failing */
    public FrameDecoder(long maxFrameBytes, boolean skipOversize) {
        if (maxFrameBytes <= 0) {
            throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: > 0)");
        }
        this.maxFrameBytes = maxFrameBytes;
        this.skipOversize = skipOversize;
    }

    /** How many frames were passed on whole or, when over the limit, skipped to their end. */
    public long completedFrames() {
        return completedFrames;
    }

    /** Whether part of a frame has been received (or is being skipped) and the rest is still missing. */
    public boolean hasPartialFrame() {
        if (skipBuffers > 0 || skipBytes > 0) {
            return true;
        }
        ByteBuf buffered = internalBuffer();
        return buffered != null && buffered.isReadable();
    }

    /**
     * How much memory is held for a frame not yet complete: the capacity of the buffer that
     * accumulates it (which grows ahead of the bytes received), or 0 when nothing is held.
     */
    public int heldBytes() {
        ByteBuf buffered = internalBuffer();
        return buffered == null || !buffered.isReadable() ? 0 : buffered.capacity();
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (true) {
            if (skipBuffers > 0 || skipBytes > 0) {
                if (!skip(in)) {
                    return;
                }
                completedFrames++;
            }
            Object frame = decodeOne(ctx, in);
            if (frame == null) {
                return;
            }
            out.add(frame);
        }
    }

    /** Discards what has arrived of the over-size frame; true once all of it is gone. */
    private boolean skip(ByteBuf in) {
        while (true) {
            if (skipBytes > 0) {
                int n = (int) Math.min(skipBytes, in.readableBytes());
                in.skipBytes(n);
                skipBytes -= n;
                if (skipBytes > 0) {
                    return false;
                }
            }
            if (skipBuffers == 0) {
                return true;
            }
            if (in.readableBytes() < 4) {
                return false;
            }
            int len = in.readInt();
            if (len < 0) {
                throw new WireFormatException("frame buffer declares a negative length " + len);
            }
            skipBuffers--;
            skipBytes = len;
        }
    }

    private Object decodeOne(ChannelHandlerContext ctx, ByteBuf in) {
        int start = in.readerIndex();
        int readable = in.readableBytes();
        if (readable < 8) {
            return null;
        }
        int serial = in.getInt(start);
        int count = in.getInt(start + 4);
        if (count < 0 || count > MAX_BUFFERS_PER_FRAME) {
            throw new WireFormatException("frame declares " + count + " buffers (expected 0 to "
                    + MAX_BUFFERS_PER_FRAME + ")");
        }
        long total = 0;
        int pos = start + 8;
        int end = start + readable;
        for (int i = 0; i < count; i++) {
            if (end - pos < 4) {
                return null;
            }
            int len = in.getInt(pos);
            if (len < 0) {
                throw new WireFormatException("frame buffer " + i + " declares a negative length " + len);
            }
            total += len;
            if (total > maxFrameBytes && skipOversize) {
                ByteBuf head = head(ctx, in, start, i);
                in.readerIndex(start + 8);
                skipBuffers = count;
                skipBytes = 0;
                return new OversizeFrame(serial, total, maxFrameBytes, head);
            }
            if (total > maxFrameBytes) {
                throw new WireFormatException("frame declares at least " + total + " bytes, above the limit of "
                        + maxFrameBytes + " bytes (raise max-frame-bytes if such batches are expected)");
            }
            pos += 4;
            if (end - pos < len) {
                return null;
            }
            pos += len;
        }
        // The whole frame has been received.
        ByteBuf payload;
        if (count == 1) {
            int len = in.getInt(start + 8);
            payload = in.retainedSlice(start + 12, len);
        } else {
            payload = ctx.alloc().buffer((int) total);
            int p = start + 8;
            for (int i = 0; i < count; i++) {
                int len = in.getInt(p);
                payload.writeBytes(in, p + 4, len);
                p += 4 + len;
            }
        }
        in.readerIndex(pos);
        completedFrames++;
        return new Frame(serial, payload);
    }

    /** The first {@code buffers} buffers of the frame at {@code start} (all received), up to {@link #HEAD_BYTES}. */
    private static ByteBuf head(ChannelHandlerContext ctx, ByteBuf in, int start, int buffers) {
        int size = 0;
        int p = start + 8;
        for (int i = 0; i < buffers && size < HEAD_BYTES; i++) {
            int len = in.getInt(p);
            size += Math.min(len, HEAD_BYTES - size);
            p += 4 + len;
        }
        if (size == 0) {
            return Unpooled.EMPTY_BUFFER;
        }
        ByteBuf head = ctx.alloc().buffer(size);
        p = start + 8;
        while (head.readableBytes() < size) {
            int len = in.getInt(p);
            head.writeBytes(in, p + 4, Math.min(len, size - head.readableBytes()));
            p += 4 + len;
        }
        return head;
    }
}
