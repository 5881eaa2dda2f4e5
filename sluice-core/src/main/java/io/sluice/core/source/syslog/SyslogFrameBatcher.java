package io.sluice.core.source.syslog;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

/**
 * Gathers the frames {@link SyslogFrameDecoder} cut from one read and passes them on as one
 * {@code List<SyslogFrame>} when the read completes (or the connection closes), so the events
 * handler, which runs on another executor, gets one task per read instead of one per message.
 * Runs on the connection's event loop; one instance per connection, not thread-safe.
 */
final class SyslogFrameBatcher extends ChannelInboundHandlerAdapter {
    private List<SyslogFrame> frames = new ArrayList<>();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        frames.add((SyslogFrame) msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        flush(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        flush(ctx); // frames the decoder cut from the last bytes at close
        ctx.fireChannelInactive();
    }

    private void flush(ChannelHandlerContext ctx) {
        if (!frames.isEmpty()) {
            List<SyslogFrame> batch = frames;
            frames = new ArrayList<>(batch.size());
            ctx.fireChannelRead(batch);
        }
    }
}
