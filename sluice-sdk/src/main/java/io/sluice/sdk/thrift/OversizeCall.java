package io.sluice.sdk.thrift;

import static java.util.Objects.requireNonNull;

/**
 * What a {@link ThriftFrameDecoder} built to answer over-size frames passes on in place of a call
 * whose frame declares more than its limit: the call's header, read from the frame's first bytes,
 * so the caller can be answered with an application exception for that very call. The rest of
 * the frame is skipped as it arrives, never held. Immutable.
 *
 * @param protocol      the protocol the call is written in (the answer uses the same)
 * @param method        the called method's name
 * @param seqid         the call's sequence id
 * @param declaredBytes the length the frame declared
 * @param limit         the decoder's limit ({@code max-frame-bytes})
 */
public record OversizeCall(ThriftProtocol protocol, String method, int seqid, long declaredBytes, long limit) {
    public OversizeCall {
        requireNonNull(protocol, "protocol is null");
        requireNonNull(method, "method is null");
    }
}
