package io.sluice.core.source.support;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Holds the memory a connection's frame decoder keeps for a frame not yet complete against
 * the source's {@link PendingBytesBudget}. Arriving bytes are reserved before the decoder sees them;
 * after it ran, the reservation is set to what the decoder holds (its buffer's capacity, which
 * grows ahead of the bytes received). A connection that does not fit is closed, so many senders of
 * half frames cannot together hold more than the budget. Sits right before the frame decoder.
 *
 * <p>Not sharable, not thread-safe: one instance per connection, on its event loop.
 */
public final class PartialFrameBudget extends ChannelInboundHandlerAdapter {
    private final PendingBytesBudget budget;
    private final LongSupplier heldBytes;
    private final Runnable onRefused;
    private long reserved;

    /**
     * @param heldBytes what the decoder holds now for its incomplete frame (its buffer's capacity, 0
     *                  when nothing is held)
     * @param onRefused logs why the connection is closed
     */
    public PartialFrameBudget(PendingBytesBudget budget, LongSupplier heldBytes, Runnable onRefused) {
        this.budget = requireNonNull(budget, "budget is null");
        this.heldBytes = requireNonNull(heldBytes, "heldBytes is null");
        this.onRefused = requireNonNull(onRefused, "onRefused is null");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (!(msg instanceof ByteBuf)) {
            ctx.fireChannelRead(msg);
            return;
        }
        int incoming = ((ByteBuf) msg).readableBytes();
        if (!budget.reserve(incoming)) {
            ReferenceCountUtil.release(msg);
            onRefused.run();
            ctx.close();
            return;
        }
        reserved += incoming;
        ctx.fireChannelRead(msg);
        long held = heldBytes.getAsLong();
        if (held > reserved) {
            if (!budget.reserve(held - reserved)) {
                onRefused.run();
                ctx.close();
                return;
            }
            reserved = held;
        } else if (held < reserved) {
            budget.release(reserved - held);
            reserved = held;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        budget.release(reserved);
        reserved = 0;
        super.channelInactive(ctx);
    }
}
