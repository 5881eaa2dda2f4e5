package io.sluice.core.source.support;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Gives each frame of a framed RPC protocol (avro, thrift) a deadline: once its first byte has
 * arrived, the whole frame must have arrived {@code readTimeoutMillis} later, however slowly it
 * trickles in. A frame still incomplete then fires {@link #LATE} down the pipeline, where the
 * protocol's handler closes the connection with its reason. A connection between frames has no
 * deadline here. Sits right before the frame decoder: after each read it asks the decoder whether a
 * frame is incomplete and how many it has completed, so a frame that completes and the next that
 * starts in the same read each get their own deadline.
 *
 * <p>Not sharable, not thread-safe: one instance per connection, on its event loop.
 */
public final class FrameDeadline extends ChannelInboundHandlerAdapter {
    /** The user event fired when a frame did not arrive whole within the read timeout. */
    public static final Object LATE = new Object() {
        @Override
        public String toString() {
            return "FrameDeadline.LATE";
        }
    };

    private final long readTimeoutMillis;
    private final BooleanSupplier partialFrame;
    private final LongSupplier completedFrames;
    private ScheduledFuture<?> timer;
    private long frameAtStart = -1;

    /**
     * @param partialFrame    whether the decoder holds (or is skipping) a frame not yet complete
     * @param completedFrames how many frames the decoder has completed (passed on or skipped)
     */
    public FrameDeadline(long readTimeoutMillis, BooleanSupplier partialFrame, LongSupplier completedFrames) {
        if (readTimeoutMillis <= 0) {
            throw new IllegalArgumentException("readTimeoutMillis: " + readTimeoutMillis + " (expected: > 0)");
        }
        this.readTimeoutMillis = readTimeoutMillis;
        this.partialFrame = requireNonNull(partialFrame, "partialFrame is null");
        this.completedFrames = requireNonNull(completedFrames, "completedFrames is null");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        boolean bytes = msg instanceof ByteBuf;
        ctx.fireChannelRead(msg);
        if (!bytes) {
            return;
        }
        if (!partialFrame.getAsBoolean()) {
            cancel();
            return;
        }
        long completed = completedFrames.getAsLong();
        if (timer == null || completed != frameAtStart) {
            cancel();
            frameAtStart = completed;
            timer = ctx.executor().schedule(() -> late(ctx), readTimeoutMillis, TimeUnit.MILLISECONDS);
        }
    }

    private void late(ChannelHandlerContext ctx) {
        timer = null;
        if (ctx.channel().isActive() && partialFrame.getAsBoolean()
                && completedFrames.getAsLong() == frameAtStart) {
            ctx.fireUserEventTriggered(LATE);
        }
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        cancel();
        super.channelInactive(ctx);
    }
}
