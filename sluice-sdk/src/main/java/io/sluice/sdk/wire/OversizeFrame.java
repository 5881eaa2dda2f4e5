package io.sluice.sdk.wire;

import io.netty.buffer.ByteBuf;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link FrameDecoder} that skips over-size frames passes on in place of a frame declaring
 * more than its limit: the frame's serial, so the peer can be answered, how many bytes it declared
 * at least when the limit was passed, and the frame's first bytes: the buffers that had arrived
 * whole before the limit was passed (at most {@link FrameDecoder#HEAD_BYTES}), which hold the
 * handshake of a client's first request. The rest of the frame is skipped as it arrives, never
 * held. The receiver owns {@code head} and releases it.
 *
 * @param serial        the serial of the request that was too large
 * @param declaredBytes the bytes its buffers declared, counted until the limit was passed
 * @param limit         the decoder's limit ({@code max-frame-bytes})
 * @param head          the start of the frame's payload; empty when its first buffer alone is over the limit
 */
public record OversizeFrame(int serial, long declaredBytes, long limit, ByteBuf head) {
    public OversizeFrame {
        requireNonNull(head, "head is null");
    }
}
