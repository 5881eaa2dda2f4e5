package io.sluice.thrift;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;
import io.sluice.core.source.support.FrameDeadline;
import io.sluice.core.source.support.RequestBacklog;
import io.sluice.sdk.thrift.OversizeCall;
import io.sluice.sdk.thrift.ThriftMessages;
import io.sluice.sdk.wire.WireFormatException;
import java.io.IOException;
import javax.net.ssl.SSLException;

/**
 * Serves one connection: decodes each framed call, puts its events and answers with the status,
 * in order. Answers are written as calls are handled and flushed once per read burst. A call of a
 * method the protocol does not have is answered with Thrift's "unknown method" application
 * exception, a call over {@code max-frame-bytes} with a "protocol error" application exception
 * naming both sizes (its bytes skipped unread); bytes that are not a call close the connection.
 *
 * <p>Belongs to one channel and runs on the delivery thread the source assigned to it (never on the
 * event loop, so a put waiting for an fsync does not hold up other connections); not thread-safe.
 */
final class ThriftRequestHandler extends SimpleChannelInboundHandler<ByteBuf> {
    private final ThriftSource source;
    private final RequestBacklog backlog;
    /** Set once the connection is being closed for bad input, so it is reported and counted once. */
    private boolean rejected;

    ThriftRequestHandler(ThriftSource source, RequestBacklog backlog) {
        this.source = source;
        this.backlog = backlog;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (msg instanceof OversizeCall call) {
            try {
                refuse(ctx, call);
            } finally {
                backlog.done();
            }
            return;
        }
        super.channelRead(ctx, msg);
    }

    /**
     * Answers a call whose frame is over {@code max-frame-bytes} with Thrift's application exception
     * naming both sizes; the decoder skips the frame's bytes, so the connection goes on.
     */
    private void refuse(ChannelHandlerContext ctx, OversizeCall call) {
        if (rejected) {
            return;
        }
        source.requestTooLarge(ctx.channel(), call);
        String message = "request of " + call.declaredBytes() + " bytes is over this agent's max-frame-bytes = "
                + call.limit() + "; send smaller batches (a Sluice thrift sink's max-request-bytes, an Apache"
                + " Flume thrift sink's batch-size) or raise max-frame-bytes";
        ByteBuf out = ThriftMessages.startFrame(ctx.alloc(), 64 + call.method().length() + message.length());
        ThriftMessages.writeException(out, call.protocol(), call.method(), call.seqid(),
                ThriftMessages.PROTOCOL_ERROR, message);
        ctx.write(ThriftMessages.finishFrame(out));
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf message) {
        try {
            answer(ctx, message);
        } finally {
            backlog.done();
        }
    }

    private void answer(ChannelHandlerContext ctx, ByteBuf message) {
        if (rejected) {
            return;
        }
        ThriftMessages.Call call;
        try {
            call = ThriftMessages.readCall(message);
        } catch (WireFormatException | IndexOutOfBoundsException e) {
            reject(ctx, "sent a malformed request: " + e.getMessage());
            return;
        }
        ByteBuf out = ThriftMessages.startFrame(ctx.alloc(), 32 + call.method().length());
        if (call.events() == null) {
            ThriftMessages.writeException(out, call.protocol(), call.method(), call.seqid(),
                    ThriftMessages.UNKNOWN_METHOD, "Invalid method name: '" + call.method()
                            + "' (ThriftSourceProtocol has append and appendBatch)");
        } else {
            int status = ThriftMessages.APPEND.equals(call.method())
                    ? source.deliverOne(call.events().get(0), ctx.channel().remoteAddress())
                    : source.deliverBatch(call.events(), ctx.channel().remoteAddress());
            ThriftMessages.writeReply(out, call.protocol(), call.method(), call.seqid(), status);
        }
        ctx.write(ThriftMessages.finishFrame(out));
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        ctx.flush();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt == FrameDeadline.LATE) {
            reject(ctx, "did not send a whole request within " + source.config().readTimeoutMillis()
                    + " ms of its first byte (read-timeout)");
            return;
        }
        if (evt instanceof IdleStateEvent e) {
            if (e.state() == IdleState.ALL_IDLE && !rejected) {
                rejected = true;
                source.connectionError(ctx.channel(), new IOException("idle for "
                        + source.config().idleTimeoutMillis() + " ms (idle-timeout)"));
                ctx.close();
            }
            return;
        }
        super.userEventTriggered(ctx, evt);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable c = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        if (c instanceof WireFormatException) {
            reject(ctx, c.getMessage());
        } else if (c instanceof NotSslRecordException) {
            reject(ctx, "sent plain bytes to a source with ssl = true; turn ssl on at the sender (with a truststore"
                    + " that trusts this source's certificate)");
        } else if (c instanceof SSLException) {
            reject(ctx, "failed the TLS handshake (does the sender trust this source's certificate, and do their"
                    + " protocols and cipher suites overlap?): " + c.getMessage());
        } else if (c instanceof IOException) {
            source.connectionError(ctx.channel(), c);
            ctx.close();
        } else if (!rejected) {
            reject(ctx, "failed: " + c);
        }
    }

    private void reject(ChannelHandlerContext ctx, String reason) {
        if (rejected) {
            return; // e.g. the decoder failing again on the rest of the bytes while the channel closes
        }
        rejected = true;
        source.badConnection(ctx.channel(), reason);
        ctx.close();
    }
}
