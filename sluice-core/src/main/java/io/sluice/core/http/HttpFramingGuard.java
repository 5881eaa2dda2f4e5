package io.sluice.core.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderResultProvider;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sluice.core.source.support.ConnectionTimeouts;
import io.sluice.core.source.support.PendingBytesBudget;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Sits right after {@link StrictHttpRequestDecoder} and refuses every request whose framing is
 * ambiguous or broken: a failed decode (duplicate or invalid {@code Content-Length}, both
 * {@code Content-Length} and {@code Transfer-Encoding}, folded header lines, an over-long line)
 * is answered 400, a {@code Transfer-Encoding} other than exactly {@code chunked} 501, each with
 * {@code Connection: close}. After a refusal the connection is closed and every byte still on it
 * is dropped, so nothing that follows can be read as another request (RFC 9112 section 6.3).
 * It also tells the connection's {@link ConnectionTimeouts} (when given) when a request has been
 * received and when its answer was written, and holds the bytes of every unanswered request against
 * the source's {@link PendingBytesBudget} (when given): a request that would pass the budget is
 * answered 503 and its connection closed.
 *
 * <p>Not sharable, not thread-safe: one instance per connection, on its event loop.
 */
public final class HttpFramingGuard extends ChannelDuplexHandler {
    /** What the owner does when a request is refused (count it, log it). */
    @FunctionalInterface
    public interface RefusalListener {
        void refused(ChannelHandlerContext ctx, HttpResponseStatus status, String reason);
    }

    private final RefusalListener listener;
    private final ConnectionTimeouts timeouts;
    private final PendingBytesBudget budget;
    /** Bytes reserved per request not yet answered, oldest first; the last one may still grow. */
    private final ArrayDeque<long[]> reserved = new ArrayDeque<>();
    private boolean reading;
    /** The request being read was already answered (413, 408): the rest of it is discarded, not held. */
    private boolean answeredWhileReading;
    private boolean refused;

    /**
     * @param timeouts the connection's timeouts, or null when it has none
     * @param budget the source's budget for bytes of unanswered requests, or null when unbounded
     */
    public HttpFramingGuard(RefusalListener listener, ConnectionTimeouts timeouts, PendingBytesBudget budget) {
        this.listener = requireNonNull(listener, "listener is null");
        this.timeouts = timeouts;
        this.budget = budget;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        releaseAll();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) throws Exception {
        releaseAll();
        super.handlerRemoved(ctx);
    }

    private void releaseAll() {
        if (budget != null) {
            for (long[] r : reserved) {
                budget.release(r[0]);
            }
        }
        reserved.clear();
    }

    /** Reserves the bytes of a request's head or content; false when the source's budget is spent. */
    private boolean reserve(Object msg) {
        if (budget == null) {
            return true;
        }
        long bytes = msg instanceof HttpContent ? ((HttpContent) msg).content().readableBytes() : 0;
        if (msg instanceof HttpRequest) {
            bytes += 256; // the head, roughly; keeps empty requests from being free
            reserved.addLast(new long[1]);
            reading = true;
            answeredWhileReading = false;
        } else if (answeredWhileReading) {
            return true;
        }
        if (bytes == 0 || reserved.isEmpty()) {
            return true;
        }
        if (!budget.reserve(bytes)) {
            return false;
        }
        reserved.peekLast()[0] += bytes;
        return true;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (refused) {
            ReferenceCountUtil.release(msg);
            return;
        }
        String problem = null;
        HttpResponseStatus status = HttpResponseStatus.BAD_REQUEST;
        if (msg instanceof DecoderResultProvider && ((DecoderResultProvider) msg).decoderResult().isFailure()) {
            Throwable cause = ((DecoderResultProvider) msg).decoderResult().cause();
            problem = "unreadable request: " + (cause.getMessage() == null ? cause.toString() : cause.getMessage());
        } else if (msg instanceof HttpRequest) {
            HttpRequest r = (HttpRequest) msg;
            List<String> te = r.headers().getAll(HttpHeaderNames.TRANSFER_ENCODING);
            if (!te.isEmpty()) {
                if (r.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                    problem = "an HTTP/1.0 request may not have a Transfer-Encoding";
                } else if (te.size() != 1 || !te.get(0).trim().toLowerCase(Locale.ROOT).equals("chunked")) {
                    status = HttpResponseStatus.NOT_IMPLEMENTED;
                    problem = "Transfer-Encoding '" + String.join(", ", te)
                            + "' is not supported; send Transfer-Encoding: chunked or a Content-Length";
                }
            }
        }
        if (problem == null && !reserve(msg)) {
            status = HttpResponseStatus.SERVICE_UNAVAILABLE;
            problem = "the source holds maxPendingBytes = " + budget.maxBytes() + " bytes of unanswered requests;"
                    + " retry later";
        }
        if (problem != null) {
            refuse(ctx, status, problem);
            ReferenceCountUtil.release(msg);
            return;
        }
        if (msg instanceof LastHttpContent) {
            reading = false;
            if (timeouts != null) {
                timeouts.requestReceived();
                if (answeredWhileReading) {
                    timeouts.responseSent(); // its answer went out before it ended
                }
            }
        }
        ctx.fireChannelRead(msg);
    }

    private void refuse(ChannelHandlerContext ctx, HttpResponseStatus status, String reason) {
        refused = true;
        ctx.channel().config().setAutoRead(false);
        listener.refused(ctx, status, reason);
        String text = status.code() == 503 ? "Service unavailable: " + reason : "Bad request from client. " + reason;
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(text + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) throws Exception {
        if (refused) {
            // An answer to a request that was read before the refusal; the connection is closing.
            ReferenceCountUtil.release(msg);
            promise.setSuccess();
            return;
        }
        if (msg instanceof HttpResponse && ((HttpResponse) msg).status().code() >= 200) {
            // The oldest unanswered request is answered: its bytes go back to the budget. When it is
            // the one still being read (refused early), what still comes of it is discarded.
            if (reading && reserved.size() == 1) {
                answeredWhileReading = true;
            }
            long[] answered = reserved.pollFirst();
            if (answered != null && budget != null) {
                budget.release(answered[0]);
            }
            if (timeouts != null) {
                ChannelPromise p = promise.unvoid();
                p.addListener(f -> timeouts.responseSent());
                ctx.write(msg, p);
                return;
            }
        }
        ctx.write(msg, promise);
    }
}
