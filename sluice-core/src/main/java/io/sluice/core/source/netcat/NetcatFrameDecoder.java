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
 * <p>A line over the limit is not handed to Netty's own discarding: this decoder skips it itself
 * and passes a {@link TooLongLine} down the pipeline in its place, holding the line's first
 * {@code maxLineLength} bytes and its full length, so the source can keep that much of it in its
 * dead-letter channel. At most {@code maxLineLength} bytes are held, however long the line.
 *
 * <p>Not sharable, not thread-safe: one instance per connection, on its event loop.
 */
final class NetcatFrameDecoder extends LineBasedFrameDecoder {
    private final String logName;
    private final ConnectionTimeouts timeouts;
    private final SourceCounter counter;
    private final RateLimitedLog log;
    private final int maxLineLength;
    private int linesThisRead;
    /** While skipping the rest of a line over the limit: its first bytes, and how long it is so far. */
    private byte[] tooLongPrefix;
    private long tooLongLength;

    /** A line over the limit, in place of the line: its first bytes and its length (with the newline). */
    record TooLongLine(byte[] prefix, long length) {
    }

    NetcatFrameDecoder(String logName, int maxLineLength, ConnectionTimeouts timeouts, SourceCounter counter,
            RateLimitedLog log) {
        super(Math.max(1, maxLineLength - 1), false, false); // only its end-of-stream handling is used
        this.maxLineLength = Math.max(1, maxLineLength - 1);
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
    protected Object decode(ChannelHandlerContext ctx, ByteBuf buffer) {
        // Lines are cut here rather than by Netty's decoder, whose scan offset would go stale when
        // a line over the limit is skipped below.
        Object line = tooLong(buffer);
        if (line == null && tooLongPrefix == null) {
            int from = buffer.readerIndex();
            int eol = buffer.indexOf(from, buffer.writerIndex(), (byte) '\n');
            if (eol >= 0) {
                line = buffer.readRetainedSlice(eol - from + 1);
            }
        }
        if (line != null) {
            linesThisRead++;
        }
        return line;
    }

    /**
     * Handles a line over the limit before Netty sees it: returns its {@link TooLongLine} once its
     * newline has been read, null (having skipped what it could) while it goes on, and null without
     * reading anything for a line within the limit.
     */
    private Object tooLong(ByteBuf buffer) {
        int from = buffer.readerIndex();
        int eol = buffer.indexOf(from, buffer.writerIndex(), (byte) '\n');
        if (tooLongPrefix != null) {
            int skip = eol < 0 ? buffer.readableBytes() : eol - from + 1;
            buffer.skipBytes(skip);
            tooLongLength += skip;
            return eol < 0 ? null : endTooLong();
        }
        int length = eol < 0 ? buffer.readableBytes() : eol - from;
        if (eol > from && buffer.getByte(eol - 1) == '\r') {
            length--; // as Netty's decoder: the \r of a \r\n does not count against the limit
        }
        if (length <= maxLineLength) {
            return null;
        }
        tooLongPrefix = new byte[maxLineLength + 1];
        buffer.getBytes(from, tooLongPrefix);
        int skip = eol < 0 ? buffer.readableBytes() : eol - from + 1;
        buffer.skipBytes(skip);
        tooLongLength = skip;
        return eol < 0 ? null : endTooLong();
    }

    private TooLongLine endTooLong() {
        TooLongLine t = new TooLongLine(tooLongPrefix, tooLongLength);
        tooLongPrefix = null;
        tooLongLength = 0;
        return t;
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (tooLongPrefix != null) { // the sender closed in the middle of a line over the limit
            out.add(endTooLong());
            return;
        }
        if (in.isReadable()) {
            int dropped = in.readableBytes();
            in.skipBytes(dropped);
            counter.incrementEventReadFail();
            log.warn("[{}] {} closed the connection in the middle of a line: {} bytes without a newline were not"
                    + " delivered; end every line with \\n", logName, ctx.channel().remoteAddress(), dropped);
        }
    }
}
