package io.sluice.core.source.support;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops reading from a connection while {@code pauseAt} or more of its messages (lines, requests)
 * wait for the thread that puts them into the channel, and reads again once that backlog is down to
 * {@code resumeAt}, so a slow or full channel pushes back on the sender through TCP instead of
 * queueing its messages in memory. {@link #channelRead} runs on the connection's event loop;
 * {@link #done} is called by the handler after each message. Thread-safe (an atomic count); one
 * instance per connection.
 */
public final class RequestBacklog extends ChannelInboundHandlerAdapter {
    private final int pauseAt;
    private final int resumeAt;
    private final AtomicInteger pending = new AtomicInteger();
    private volatile ChannelHandlerContext ctx;

    /**
     * @param pauseAt stop reading when this many messages are waiting
     * @param resumeAt read again when the backlog has come down to this many
     */
    public RequestBacklog(int pauseAt, int resumeAt) {
        if (resumeAt < 0 || resumeAt >= pauseAt) {
            throw new IllegalArgumentException("pauseAt/resumeAt: " + pauseAt + "/" + resumeAt
                    + " (expected: 0 <= resumeAt < pauseAt)");
        }
        this.pauseAt = pauseAt;
        this.resumeAt = resumeAt;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (pending.incrementAndGet() >= pauseAt) {
            ctx.channel().config().setAutoRead(false);
        }
        ctx.fireChannelRead(msg);
    }

    /** One message was handled (answered or refused). */
    public void done() {
        if (pending.decrementAndGet() == resumeAt) {
            ChannelHandlerContext c = ctx;
            if (c != null) {
                c.channel().config().setAutoRead(true);
            }
        }
    }
}
