package io.sluice.core.source.netcat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stops reading from a connection while too many of its lines wait for the channel processor, and
 * resumes when the backlog has shrunk, so a slow or full channel pushes back on the sender through
 * TCP instead of queueing lines in memory. {@link #channelRead} runs on the I/O thread;
 * {@link #done} is called by the line handler after each line. Thread-safe (atomic counter);
 * one instance per connection.
 */
final class BacklogGate extends ChannelInboundHandlerAdapter {
    static final int PAUSE_AT = 1024;
    static final int RESUME_AT = 128;

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

    /** One line (or refusal) was handled. */
    void done() {
        if (pending.decrementAndGet() == RESUME_AT) {
            ChannelHandlerContext c = ctx;
            if (c != null) {
                c.channel().config().setAutoRead(true);
            }
        }
    }
}
