package io.sluice.core.source.http;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.sluice.api.ChannelException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.TransactionCapacityExceededException;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.RejectedInput;
import io.sluice.core.support.RateLimitedLog;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Answers one aggregated request: 405 unless POST; 400 with the reason when the decoder rejects
 * the body (kept in the dead-letter channel when there is one; 503 when that channel refused it,
 * so the sender tries again and nothing is lost); 503 when the channel refuses the batch; 500 on an unexpected failure; otherwise 200
 * after the batch is committed. The answer texts follow Apache Flume's.
 *
 * <p>Sharable and thread-safe: it holds no per-request state.
 */
@ChannelHandler.Sharable
final class HttpEventsHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEventsHandler.class);

    private final String logName;
    private final Supplier<ChannelProcessor> processor;
    private final HttpEventDecoder decoder;
    private final SourceCounter counter;
    private final RateLimitedLog rejectLog;
    private final long requestTimeoutMillis;
    private final Clock clock;
    private final RejectedInput rejected;

    HttpEventsHandler(String logName, Supplier<ChannelProcessor> processor, HttpEventDecoder decoder,
            SourceCounter counter, RateLimitedLog rejectLog, long requestTimeoutMillis, Clock clock,
            RejectedInput rejected) {
        this.rejected = requireNonNull(rejected, "rejected is null");
        this.logName = requireNonNull(logName, "logName is null");
        this.processor = requireNonNull(processor, "processor is null");
        this.decoder = requireNonNull(decoder, "decoder is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.rejectLog = requireNonNull(rejectLog, "rejectLog is null");
        this.requestTimeoutMillis = requestTimeoutMillis;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Stamps a request with the time its head arrived; runs on the I/O thread, before aggregation. */
    static final class ArrivalStamp extends ChannelInboundHandlerAdapter {
        private final Clock clock;

        ArrivalStamp(Clock clock) {
            this.clock = clock;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof HttpRequest) {
                ((HttpRequest) msg).headers().set(ARRIVED_AT, clock.millis());
            }
            ctx.fireChannelRead(msg);
        }
    }

    /** Internal header carrying the arrival time; set by {@link ArrivalStamp}, removed before decoding. */
    static final String ARRIVED_AT = "x-sluice-arrived-at-millis";

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (!request.decoderResult().isSuccess()) {
            counter.incrementEventReadFail();
            respond(ctx, false, HttpResponseStatus.BAD_REQUEST,
                    "Bad request from client. Unreadable HTTP request: " + request.decoderResult().cause());
            return;
        }
        if (!HttpMethod.POST.equals(request.method())) {
            FullHttpResponse r = response(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    "Only POST is accepted; send the events as the request body.");
            r.headers().set(HttpHeaderNames.ALLOW, "POST");
            send(ctx, keepAlive, r);
            return;
        }
        String arrived = request.headers().get(ARRIVED_AT);
        request.headers().remove(ARRIVED_AT);
        Charset charset = HttpUtil.getCharset(request, StandardCharsets.UTF_8);
        Map<String, String> httpHeaders = new HashMap<>();
        request.headers().forEach(h -> httpHeaders.put(h.getKey().toLowerCase(Locale.ROOT), h.getValue()));
        List<Event> events;
        byte[] body = ByteBufUtil.getBytes(request.content());
        try {
            events = decoder.decode(body, charset, httpHeaders);
        } catch (MalformedRequestException e) {
            counter.incrementEventReadFail();
            LOG.debug("[{}] bad request from {}: {}", logName, ctx.channel().remoteAddress(), e.getMessage());
            if (rejected.keeps()) {
                Map<String, String> letterHeaders = new HashMap<>();
                letterHeaders.put("remoteAddress", String.valueOf(ctx.channel().remoteAddress()));
                String type = request.headers().get(HttpHeaderNames.CONTENT_TYPE);
                if (type != null) {
                    letterHeaders.put("Content-Type", type);
                }
                if (!rejected.keep(body, letterHeaders, "request body is not an event list: " + e.getMessage())) {
                    respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, "Bad request from client. "
                            + e.getMessage() + "; the body could not be kept in the dead-letter channel; send it"
                            + " again.");
                    return;
                }
                respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, "Bad request from client. " + e.getMessage()
                        + "; the body was kept in the dead-letter channel.");
                return;
            }
            respond(ctx, keepAlive, HttpResponseStatus.BAD_REQUEST, "Bad request from client. " + e.getMessage());
            return;
        } catch (RuntimeException e) {
            counter.incrementEventReadFail();
            rejectLog.warn("[{}] the request decoder failed", logName, e);
            respond(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                    "Deserializer threw unexpected exception. " + e);
            return;
        }
        counter.incrementAppendBatchReceived();
        counter.addReceived(events.size());
        if (!events.isEmpty()) {
            long waited = arrived == null ? 0 : clock.millis() - Long.parseLong(arrived);
            if (waited > requestTimeoutMillis) {
                counter.incrementChannelWriteFail();
                rejectLog.warn("[{}] answered 503 without committing {} events: the request waited {} ms, longer"
                        + " than requestTimeout = {} ms", logName, events.size(), waited, requestTimeoutMillis);
                respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE, "The request waited " + waited
                        + " ms for the channel, longer than requestTimeout = " + requestTimeoutMillis
                        + " ms; nothing of it was committed. Send it again.");
                return;
            }
            try {
                processor.get().processEventBatch(events);
            } catch (TransactionCapacityExceededException e) {
                counter.incrementChannelWriteFail();
                rejectLog.warn("[{}] answered 413: a batch of {} events can never fit: {}", logName, events.size(),
                        e.getMessage());
                respond(ctx, keepAlive, HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, "The request holds "
                        + events.size() + " events, more than one transaction of the channel may hold ("
                        + e.capacityKey() + " = " + e.capacity() + "); send at most " + e.capacity()
                        + " events per request, or raise " + e.capacityKey() + ".");
                return;
            } catch (ChannelException e) {
                counter.incrementChannelWriteFail();
                rejectLog.warn("[{}] answered 503: the channel refused {} events: {}", logName, events.size(),
                        e.getMessage());
                respond(ctx, keepAlive, HttpResponseStatus.SERVICE_UNAVAILABLE,
                        "Error appending event to channel. Channel might be full. " + e.getMessage());
                return;
            } catch (RuntimeException e) {
                counter.incrementGenericProcessingFail();
                rejectLog.warn("[{}] answered 500: processing {} events failed", logName, events.size(), e);
                respond(ctx, keepAlive, HttpResponseStatus.INTERNAL_SERVER_ERROR,
                        "Unexpected error while appending event to channel. " + e);
                return;
            }
        }
        counter.incrementAppendBatchAccepted();
        counter.addAccepted(events.size());
        FullHttpResponse ok = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.EMPTY_BUFFER);
        send(ctx, keepAlive, ok);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("[{}] connection from {} failed", logName, ctx.channel().remoteAddress(), cause);
        ctx.close();
    }

    private static void respond(ChannelHandlerContext ctx, boolean keepAlive, HttpResponseStatus status,
            String message) {
        send(ctx, keepAlive, response(status, message));
    }

    private static FullHttpResponse response(HttpResponseStatus status, String message) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        return r;
    }

    private static void send(ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse r) {
        HttpUtil.setContentLength(r, r.content().readableBytes());
        if (keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(r);
        } else {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
