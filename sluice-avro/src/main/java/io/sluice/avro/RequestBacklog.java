package io.sluice.avro;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops reading from a connection while {@link #PAUSE_AT} or more of its requests wait for the
 * delivery thread that puts them into the channel, and reads again once that thread has caught up,
 * so a client that pipelines requests to a slow channel is held back by TCP instead of queueing
 * requests in memory. {@link #channelRead} runs on the connection's event loop; {@link #done} on
 * the delivery thread after each request. Thread-safe (an atomic count); one instance per
 * connection.
 */
final class RequestBacklog extends ChannelInboundHandlerAdapter {
    static final int PAUSE_AT = 16;
    static final int RESUME_AT = 2;

    private final AtomicInteger pending = new AtomicInteger();
    private volatile ChannelHandlerContext ctx;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (pending.incrementAndGet() >= PAUSE_AT) {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelRead(msg);
    }

    /** One request was answered. */
    void done() {
        if (pending.decrementAndGet() == RESUME_AT) {
            ChannelHandlerContext c = ctx;
            if (c != null) {
                c.channel().config().setAutoRead(true);
            }
        }
    }
}
