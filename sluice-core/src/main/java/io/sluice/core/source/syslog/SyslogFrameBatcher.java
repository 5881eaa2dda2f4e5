package io.sluice.core.source.syslog;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Gathers the frames {@link SyslogFrameDecoder} cut and passes them on as one
 * {@code List<SyslogFrame>} when the read completes (or the connection closes, or
 * {@link #MAX_BYTES} are gathered within one burst of reads), so the events handler, which runs on
 * another executor, gets one task per read instead of one per message. What it hands over is
 * counted in the connection's {@link ReadGate}, which pauses reading while the handler is behind.
 * Runs on the connection's event loop; one instance per connection, not thread-safe.
 */
final class SyslogFrameBatcher extends ChannelInboundHandlerAdapter {
    /** Bytes of frames gathered after which they are handed over without waiting for the read to complete. */
    static final int MAX_BYTES = 64 * 1024;

    private final ReadGate gate;
    private List<SyslogFrame> frames = new ArrayList<>();
    private long bytes;

    SyslogFrameBatcher(ReadGate gate) {
        this.gate = requireNonNull(gate, "gate is null");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        SyslogFrame frame = (SyslogFrame) msg;
        frames.add(frame);
        bytes += ReadGate.weight(frame.bytes().length);
        if (bytes >= MAX_BYTES) {
            // Netty may read several buffers before the read completes: hand over (and let the gate
            // stop the reading) as they come instead of gathering them all.
            flush(ctx);
        }
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
            // Counted before it is handed over, so the handler never takes more than was counted.
            gate.handedOver(bytes);
            bytes = 0;
            ctx.fireChannelRead(batch);
        }
    }
}
