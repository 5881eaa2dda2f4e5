package io.sluice.core.source.netcat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ChannelInputShutdownEvent;
import io.netty.handler.codec.TooLongFrameException;
import io.sluice.api.ChannelException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.source.support.RejectedInput;
import io.sluice.core.support.RateLimitedLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Handles the lines of one connection. The lines of one read from the socket (without their
 * {@code \n}; a {@code \r} before it is kept, as Apache Flume keeps it) are committed through the
 * channel processor in one transaction (in several when they are more than the smallest
 * transactionCapacity of the source's channels), so a durable channel pays one commit per read, not
 * one per line. Each line is still answered on its own, in order: {@code OK} when
 * {@code ackEveryEvent}, or {@code FAILED: <reason>} for every line of a transaction the channel
 * refused. A line
 * over the limit is discarded up to its newline, counted as a read failure and answered
 * {@code FAILED: Event exceeds the maximum length (N chars, including newline)}. The connection
 * stays open in both cases.
 *
 * <p>Not shared: one instance per connection, called on one executor thread.
 */
final class NetcatLineHandler extends SimpleChannelInboundHandler<Object> {
    private static final Logger LOG = LoggerFactory.getLogger(NetcatLineHandler.class);
    private static final byte[] OK = "OK\n".getBytes(StandardCharsets.US_ASCII);

    private final String logName;
    private final Supplier<ChannelProcessor> processor;
    private final SourceCounter counter;
    private final boolean ackEveryEvent;
    private final int maxLineLength;
    private final RateLimitedLog rejectLog;
    private final Runnable onLineDone;
    private final Runnable onOpen;
    private final Runnable onClose;
    /** Bodies of the lines received since the last commit; handled on this handler's executor only. */
    private final List<Event> pending = new ArrayList<>();
    private final RejectedInput rejected;

    NetcatLineHandler(String logName, Supplier<ChannelProcessor> processor, SourceCounter counter,
            boolean ackEveryEvent, int maxLineLength, RateLimitedLog rejectLog, Runnable onLineDone, Runnable onOpen,
            Runnable onClose, RejectedInput rejected) {
        this.rejected = requireNonNull(rejected, "rejected is null");
        this.logName = requireNonNull(logName, "logName is null");
        this.processor = requireNonNull(processor, "processor is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.ackEveryEvent = ackEveryEvent;
        this.maxLineLength = maxLineLength;
        this.rejectLog = requireNonNull(rejectLog, "rejectLog is null");
        this.onLineDone = requireNonNull(onLineDone, "onLineDone is null");
        this.onOpen = requireNonNull(onOpen, "onOpen is null");
        this.onClose = requireNonNull(onClose, "onClose is null");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        onOpen.run();
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        commitPending(ctx);
        onClose.run();
        super.channelInactive(ctx);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof NetcatFrameDecoder.TooLongLine t) {
            // The lines before it are answered first.
            commitPending(ctx);
            try {
                tooLong(ctx, t.prefix(), t.length());
            } finally {
                onLineDone.run();
            }
            return;
        }
        ByteBuf line = (ByteBuf) msg;
        int length = line.readableBytes();
        if (length > maxLineLength) {
            // The frame decoder let a CRLF line through whose \r makes it one byte too long; the lines
            // before it are answered first.
            commitPending(ctx);
            try {
                tooLong(ctx, ByteBufUtil.getBytes(line, line.readerIndex(), maxLineLength), length);
            } finally {
                onLineDone.run();
            }
            return;
        }
        if (length > 0 && line.getByte(line.readerIndex() + length - 1) == '\n') {
            length--;
        }
        pending.add(Event.wrap(Map.of(), ByteBufUtil.getBytes(line, line.readerIndex(), length)));
    }

    /** Commits the lines received so far, in transactions of at most the channels' capacity, and answers each. */
    private void commitPending(ChannelHandlerContext ctx) {
        int n = pending.size();
        if (n == 0) {
            return;
        }
        try {
            ChannelProcessor p = processor.get();
            int max = p instanceof DefaultChannelProcessor d ? d.largestBatch() : 1;
            for (int from = 0; from < n; from += max) {
                commit(ctx, p, pending.subList(from, Math.min(n, from + max)));
            }
        } finally {
            pending.clear();
            for (int i = 0; i < n; i++) {
                onLineDone.run();
            }
        }
    }

    private void commit(ChannelHandlerContext ctx, ChannelProcessor p, List<Event> lines) {
        int n = lines.size();
        counter.addReceived(n);
        String failure;
        try {
            if (n == 1) {
                p.processEvent(lines.get(0));
            } else {
                p.processEventBatch(lines);
            }
            counter.addAccepted(n);
            if (ackEveryEvent) {
                ByteBuf ok = ctx.alloc().buffer(OK.length * n);
                for (int i = 0; i < n; i++) {
                    ok.writeBytes(OK);
                }
                ctx.write(ok);
            }
            return;
        } catch (ChannelException e) {
            counter.incrementChannelWriteFail();
            rejectLog.warn("[{}] refused {} line(s) from {}: {}", logName, n, ctx.channel().remoteAddress(),
                    e.getMessage());
            failure = "FAILED: " + oneLine(e.getMessage()) + "\n";
        } catch (RuntimeException e) {
            counter.incrementGenericProcessingFail();
            rejectLog.warn("[{}] could not process {} line(s) from {}", logName, n, ctx.channel().remoteAddress(),
                    e);
            failure = "FAILED: " + oneLine(String.valueOf(e)) + "\n";
        }
        byte[] f = failure.getBytes(StandardCharsets.UTF_8);
        ByteBuf out = ctx.alloc().buffer(f.length * n);
        for (int i = 0; i < n; i++) {
            out.writeBytes(f);
        }
        ctx.write(out);
    }

    /**
     * The sender closed its side. Every line it sent was handled before this event (they run in
     * order on this handler's executor), so flush their answers, then close.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof ChannelInputShutdownEvent) {
            commitPending(ctx);
            ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        commitPending(ctx);
        ctx.flush();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException) {
            commitPending(ctx);
            tooLong(ctx, new byte[0], -1);
            ctx.flush();
            return;
        }
        if (cause instanceof IOException) {
            LOG.debug("[{}] connection from {} failed", logName, ctx.channel().remoteAddress(), cause);
        } else {
            commitPending(ctx);
            counter.incrementGenericProcessingFail();
            LOG.warn("[{}] unexpected error on connection from {}; closing it", logName,
                    ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }

    private void tooLong(ChannelHandlerContext ctx, byte[] prefix, long length) {
        counter.incrementEventReadFail();
        if (rejected.keeps()) {
            String kept = "its first " + prefix.length + " bytes are kept";
            rejected.keep(prefix,
                    Map.of("remoteAddress", String.valueOf(ctx.channel().remoteAddress())),
                    "line of " + (length < 0 ? "more than " + maxLineLength : String.valueOf(length))
                            + " bytes (counting the newline) is longer than max-line-length " + maxLineLength
                            + "; " + kept);
        }
        rejectLog.warn("[{}] {} sent a line longer than max-line-length {} (including newline); it was cut"
                + " off and not delivered", logName, ctx.channel().remoteAddress(), maxLineLength);
        ctx.write(ctx.alloc().buffer().writeBytes(("FAILED: Event exceeds the maximum length ("
                + maxLineLength + " chars, including newline)\n").getBytes(StandardCharsets.US_ASCII)));
    }

    private static String oneLine(String s) {
        return s == null ? "channel refused the event" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
