package io.sluice.avro;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import io.sluice.api.Event;
import io.sluice.core.source.support.FrameDeadline;
import io.sluice.core.source.support.RequestBacklog;
import io.sluice.sdk.wire.AvroBinary;
import io.sluice.sdk.wire.AvroRpcProtocol;
import io.sluice.sdk.wire.Calls;
import io.sluice.sdk.wire.EventCodec;
import io.sluice.sdk.wire.Frame;
import io.sluice.sdk.wire.Frames;
import io.sluice.sdk.wire.Handshake;
import io.sluice.sdk.wire.OversizeFrame;
import io.sluice.sdk.wire.WireFormatException;
import java.io.IOException;
import java.util.List;

/**
 * Serves one connection: reads the Avro IPC handshake from the first request, then answers
 * {@code append} and {@code appendBatch} calls in order. Answers are written as requests are
 * handled and flushed once per read burst, so a client that pipelines batches gets its answers in
 * order without a flush per batch.
 *
 * <p>Belongs to one channel and runs on the delivery thread the source assigned to it (never on the
 * event loop, so a put that waits for an fsync does not hold up other connections); not
 * thread-safe. It tells the {@link RequestBacklog} after each request.
 */
final class AvroRequestHandler extends SimpleChannelInboundHandler<Frame> {
    private final AvroSource source;
    private final RequestBacklog backlog;
    private boolean handshakeDone;
    private String incompatibility;
    /** Set once the connection is being closed for bad input, so it is reported and counted once. */
    private boolean rejected;

    AvroRequestHandler(AvroSource source, RequestBacklog backlog) {
        this.source = source;
        this.backlog = backlog;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof OversizeFrame request) {
            try {
                refuse(ctx, request);
            } finally {
                backlog.done();
            }
            return;
        }
        super.channelRead(ctx, msg);
    }

    /**
     * Answers a request over {@code max-frame-bytes} with an Avro error naming both sizes (the
     * decoder skips its bytes, so the connection goes on). A client's first request carries its
     * handshake: it is read from the request's first buffers, which the decoder passes on, and
     * answered before the error. Only when the handshake is not among them (the request's first
     * buffer alone is over the limit) is the connection closed.
     */
    private void refuse(ChannelHandlerContext ctx, OversizeFrame request) {
        ByteBuf head = request.head();
        ByteBuf out = Frames.start(ctx.alloc(), 256);
        try {
            if (!handshakeDone) {
                ServerHandshake.Outcome outcome;
                try {
                    outcome = source.handshakes().accept(Handshake.readRequest(head));
                } catch (WireFormatException | IndexOutOfBoundsException e) {
                    rejected = true;
                    source.badConnection(ctx.channel(), "sent a first request of at least " + request.declaredBytes()
                            + " bytes, above the limit of " + request.limit() + " bytes (max-frame-bytes), "
                            + (head.isReadable() ? "whose first " + head.readableBytes() + " bytes hold no handshake ("
                                    + e.getMessage() + ")" : "whose first buffer alone is over the limit, so its"
                                    + " handshake cannot be read") + "; send smaller batches or raise max-frame-bytes");
                    ctx.close();
                    return;
                }
                Handshake.writeResponse(out, outcome.match());
                if (outcome.match() == Handshake.MATCH_NONE) {
                    // the client sends the request again with its protocol text; that one gets the error
                    ctx.write(Frames.finish(out, request.serial()));
                    out = null;
                    return;
                }
                handshakeDone = true;
                incompatibility = outcome.incompatibility();
            }
            source.requestTooLarge(ctx.channel(), request);
            Calls.writeError(out, "request of at least " + request.declaredBytes() + " bytes is over this agent's"
                    + " max-frame-bytes = " + request.limit() + "; send smaller batches (a Sluice avro sink's"
                    + " max-request-bytes, an Apache Flume avro sink's batch-size) or raise max-frame-bytes");
            ctx.write(Frames.finish(out, request.serial()));
            out = null;
        } finally {
            head.release();
            if (out != null) {
                out.release();
            }
        }
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
        try {
            answer(ctx, frame);
        } finally {
            backlog.done();
        }
    }

    private void answer(ChannelHandlerContext ctx, Frame frame) {
        ByteBuf in = frame.payload();
        ByteBuf out = Frames.start(ctx.alloc(), 32);
        try {
            if (!handshakeDone) {
                Handshake.Request req = Handshake.readRequest(in);
                ServerHandshake.Outcome outcome = source.handshakes().accept(req);
                Handshake.writeResponse(out, outcome.match());
                if (outcome.match() == Handshake.MATCH_NONE) {
                    ctx.write(Frames.finish(out, frame.serial()));
                    out = null;
                    return;
                }
                handshakeDone = true;
                incompatibility = outcome.incompatibility();
            }
            Handshake.skipMeta(in);
            String message = AvroBinary.readString(in);
            if (message.isEmpty()) {
                ctx.write(Frames.finish(out, frame.serial())); // a handshake ping
                out = null;
                return;
            }
            if (incompatibility != null) {
                Calls.writeError(out, "this agent cannot read the client's protocol: " + incompatibility);
            } else if (message.equals(AvroRpcProtocol.APPEND_BATCH)) {
                List<Event> events = EventCodec.readBatch(in);
                Calls.writeStatus(out, source.deliverBatch(events, ctx.channel().remoteAddress()));
            } else if (message.equals(AvroRpcProtocol.APPEND)) {
                Event event = EventCodec.readEvent(in);
                Calls.writeStatus(out, source.deliverOne(event, ctx.channel().remoteAddress()));
            } else {
                Calls.writeError(out, "unknown message '" + message + "' (expected append or appendBatch)");
            }
            ctx.write(Frames.finish(out, frame.serial()));
            out = null;
        } finally {
            if (out != null) {
                out.release();
            }
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        source.connectionOpened(ctx.channel());
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == FrameDeadline.LATE) {
            if (!rejected) {
                rejected = true;
                source.badConnection(ctx.channel(), "did not send a whole request within "
                        + source.config().readTimeoutMillis() + " ms of its first byte (read-timeout)");
                ctx.close();
            }
            return;
        }
        if (evt instanceof IdleStateEvent) {
            // no whole request for read-timeout: only before the handshake is that a reason to close. A
            // request in progress has its own deadline from its first byte (FrameDeadline, above); these
            // events tick every read-timeout from the last request, so one may fall just after a new
            // request began and must not cut it short.
            if (!handshakeDone && !rejected) {
                rejected = true;
                source.badConnection(ctx.channel(), "sent no handshake for " + source.config().readTimeoutMillis()
                        + " ms (read-timeout)");
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (rejected) {
            return; // e.g. the decoder failing again on the rest of the bytes while the channel closes
        }
        rejected = true;
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof WireFormatException || c instanceof IndexOutOfBoundsException) {
            source.badConnection(ctx.channel(), "sent a malformed request: " + c.getMessage());
        } else if (c instanceof IOException) {
            source.connectionError(ctx.channel(), c);
        } else {
            source.badConnection(ctx.channel(), c.toString());
        }
        ctx.close();
    }
}
