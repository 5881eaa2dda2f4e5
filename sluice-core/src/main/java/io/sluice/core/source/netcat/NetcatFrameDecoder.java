package io.sluice.core.source.netcat;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.LineBasedFrameDecoder;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.ConnectionTimeouts;
import io.sluice.core.support.RateLimitedLog;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Splits a connection's bytes into lines (each with its {@code \n}) of at most
 * {@code maxLineLength} bytes counting the newline, and tells the connection's
 * {@link ConnectionTimeouts} whether a partial line is held after each read. Bytes left without a
 * newline when the sender closes are not an event: they are counted as a read failure and logged.
 * Netty's decoder does not count a {@code \r} before the {@code \n} against its limit, while the
 * line handler keeps it in the body; the line handler checks the whole length.
 *
 * <p>Not sharable, not thread-safe: one instance per connection, on its event loop.
 */
final class NetcatFrameDecoder extends LineBasedFrameDecoder {
    private final String logName;
    private final ConnectionTimeouts timeouts;
    private final SourceCounter counter;
    private final RateLimitedLog log;
    private int linesThisRead;

    NetcatFrameDecoder(String logName, int maxLineLength, ConnectionTimeouts timeouts, SourceCounter counter,
            RateLimitedLog log) {
        super(Math.max(1, maxLineLength - 1), false, false);
        this.logName = requireNonNull(logName, "logName is null");
        this.timeouts = requireNonNull(timeouts, "timeouts is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.log = requireNonNull(log, "log is null");
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        linesThisRead = 0;
        super.channelRead(ctx, msg);
        ByteBuf held = internalBuffer();
        timeouts.progress(linesThisRead > 0, held != null && held.isReadable());
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) throws Exception {
        Object line = super.decode(ctx, buffer);
        if (line != null) {
            linesThisRead++;
        }
        return line;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (in.isReadable()) {
            int dropped = in.readableBytes();
            in.skipBytes(dropped);
            counter.incrementEventReadFail();
            log.warn("[{}] {} closed the connection in the middle of a line: {} bytes without a newline were not"
                    + " delivered; end every line with \\n", logName, ctx.channel().remoteAddress(), dropped);
        }
    }
}
