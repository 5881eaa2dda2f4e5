package io.sluice.sdk.wire;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * Writes frames as one buffer: a 12-byte header ({@code serial}, a buffer count of 1, the payload
 * length) reserved up front, then the payload written in place.
 *
 * <p>Stateless and thread-safe.
 */
public final class Frames {
    public static final int HEADER_BYTES = 12;

    private Frames() {
    }

    /** A buffer with room for the header; write the payload after it, then call {@link #finish}. */
    public static ByteBuf start(ByteBufAllocator alloc, int expectedPayloadBytes) {
        ByteBuf buf = alloc.heapBuffer(HEADER_BYTES + Math.max(64, expectedPayloadBytes));
        buf.writerIndex(HEADER_BYTES);
        return buf;
    }

    /** Fills in the header of a buffer made by {@link #start}. */
    public static ByteBuf finish(ByteBuf buf, int serial) {
        int payloadLength = buf.writerIndex() - HEADER_BYTES;
        buf.setInt(0, serial);
        buf.setInt(4, 1);
        buf.setInt(8, payloadLength);
        return buf;
    }
}
