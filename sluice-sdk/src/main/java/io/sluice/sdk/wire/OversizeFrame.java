package io.sluice.sdk.wire;

/**
 * What a {@link FrameDecoder} that skips over-size frames passes on in place of a frame declaring
 * more than its limit: the frame's serial, so the peer can be answered, and how many bytes it
 * declared at least when the limit was passed. The frame's bytes are skipped as they arrive,
 * never held. Immutable.
 *
 * @param serial        the serial of the request that was too large
 * @param declaredBytes the bytes its buffers declared, counted until the limit was passed
 * @param limit         the decoder's limit ({@code max-frame-bytes})
 */
public record OversizeFrame(int serial, long declaredBytes, long limit) {
}
