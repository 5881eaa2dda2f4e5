package io.sluice.sdk.wire;

import io.netty.buffer.ByteBuf;
import io.netty.util.AbstractReferenceCounted;
import io.netty.util.ReferenceCounted;

import static java.util.Objects.requireNonNull;

/**
 * One Avro RPC message as it travels in a Netty frame: the serial that pairs a response with its
 * request, and the payload (the frame's buffers joined). Owns a reference to the payload, released
 * with the frame.
 *
 * <p>Not thread-safe; handed from the decoder to one handler.
 */
public final class Frame extends AbstractReferenceCounted {
    private final int serial;
    private final ByteBuf payload;

    public Frame(int serial, ByteBuf payload) {
        this.serial = serial;
        this.payload = requireNonNull(payload, "payload is null");
    }

    public int serial() {
        return serial;
    }

    public ByteBuf payload() {
        return payload;
    }

    @Override
    protected void deallocate() {
        payload.release();
    }

    @Override
    public ReferenceCounted touch(Object hint) {
        payload.touch(hint);
        return this;
    }
}
