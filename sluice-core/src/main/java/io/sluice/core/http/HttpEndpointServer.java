package io.sluice.core.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.AttributeKey;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.source.support.ConnectionLimiter;
import io.sluice.core.source.support.ConnectionTimeouts;
import io.sluice.core.source.support.NettyServer;
import io.sluice.core.support.RateLimitedLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * A small HTTP/1.1 server for an agent's own endpoints ({@code /metrics}, {@code /prometheus}, and
 * those to come): GET and HEAD on fixed paths, answered on Netty's I/O threads, so no client can
 * block another. It shares the sources' defences: strict framing ({@link StrictHttpRequestDecoder},
 * {@link HttpFramingGuard}), an idle timeout (60 s) and a read timeout (10 s from a request's first
 * byte, answered 408), at most 256 connections, and request bodies of at most 64 KiB. Routes must
 * answer quickly and must not block. A route may answer with a {@linkplain Answer#stream stream}: a
 * chunked response its owner writes to from any thread until it ends it or the client goes away;
 * such a connection has no idle timeout (the stream's owner writes to it regularly and so notices a
 * client that left), serves no further request, and is closed when the stream ends.
 *
 * <p>Thread-safe: routes are fixed at construction; start and stop are synchronised.
 */
public final class HttpEndpointServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpEndpointServer.class);
    static final long IDLE_TIMEOUT_MILLIS = 60_000;
    static final long READ_TIMEOUT_MILLIS = 10_000;
    static final int MAX_CONNECTIONS = 256;
    static final int MAX_BODY_BYTES = 64 * 1024;

    /** One request to a route, and who sent it. */
    public record Request(FullHttpRequest http, InetSocketAddress remote) {
        public Request {
            requireNonNull(http, "http is null");
            requireNonNull(remote, "remote is null");
        }

        /** The first value of query parameter {@code name}, or null. */
        public String parameter(String name) {
            List<String> values = new QueryStringDecoder(http.uri()).parameters().get(name);
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        /** The first value of header {@code name}, or null. */
        public String header(String name) {
            return http.headers().get(name);
        }

        /** Whether the request came from this host's loopback interface. */
        public boolean fromLoopback() {
            return remote.getAddress() != null && remote.getAddress().isLoopbackAddress();
        }
    }

    /**
     * What a route answers: a status, a content type and a text body with extra headers, or a
     * {@link StreamBody} that writes a chunked body over time.
     */
    public record Answer(int status, String contentType, String body, Map<String, String> headers,
            StreamBody stream) {
        public Answer {
            requireNonNull(contentType, "contentType is null");
            requireNonNull(body, "body is null");
            headers = Map.copyOf(headers);
        }

        public Answer(int status, String contentType, String body) {
            this(status, contentType, body, Map.of(), null);
        }

        /** A 200 whose chunked body {@code stream} writes once the response head is sent. */
        public static Answer stream(String contentType, StreamBody stream) {
            return new Answer(200, contentType, "", Map.of(), requireNonNull(stream, "stream is null"));
        }

        /** The same answer with one more header. */
        public Answer withHeader(String name, String value) {
            Map<String, String> h = new LinkedHashMap<>(headers);
            h.put(name, value);
            return new Answer(status, contentType, body, h, stream);
        }
    }

    /** Writes a streamed body; {@link #start} is called on the connection's event loop and must not block. */
    @FunctionalInterface
    public interface StreamBody {
        void start(ChunkWriter out);
    }

    /** The open body of a streamed answer. Thread-safe: write and end from any thread. */
    public interface ChunkWriter {
        /** Sends {@code text} (UTF-8) as one chunk; does nothing once the stream ended or the client left. */
        void write(String text);

        /** False while the client has not read what was written so far (its socket buffer is full). */
        boolean writable();

        /** True until the stream ended or the client went away. */
        boolean open();

        /** Ends the body and closes the connection. Idempotent. */
        void end();

        /** Runs {@code action} once the connection is closed (by either side). */
        void onClose(Runnable action);
    }

    private final String logName;
    private final Map<String, Route> routes;
    private final NettyServer server;
    private final CounterGroup counters;
    private final RateLimitedLog log;
    private final long readTimeoutMillis;

    /**
     * @param logName who serves, for logs ({@code a1 metrics})
     * @param routes exact paths (a trailing slash is also accepted) to their routes
     * @param counters where connection refusals and timeouts are counted
     */
    public HttpEndpointServer(String logName, Map<String, Route> routes, CounterGroup counters) {
        this(logName, routes, counters, READ_TIMEOUT_MILLIS);
    }

    HttpEndpointServer(String logName, Map<String, Route> routes, CounterGroup counters, long readTimeoutMillis) {
        this.logName = requireNonNull(logName, "logName is null");
        this.routes = Map.copyOf(new LinkedHashMap<>(routes));
        this.counters = requireNonNull(counters, "counters is null");
        this.server = new NettyServer(logName, "endpoint-" + logName.replace(' ', '-'));
        this.log = new RateLimitedLog(LOG, 5000, Clock.systemUTC());
        this.readTimeoutMillis = readTimeoutMillis;
    }

    /** Listens on {@code bind:port} (0: a free port) and returns the bound address. */
    public InetSocketAddress start(InetAddress bind, int port) {
        Dispatcher dispatcher = new Dispatcher();
        ConnectionLimiter limiter = new ConnectionLimiter(logName, MAX_CONNECTIONS, counters, log);
        return server.bindTcp(bind, port, 2, 1, b -> { }, (ch, handlers) -> {
            ConnectionTimeouts timeouts = new ConnectionTimeouts(logName, IDLE_TIMEOUT_MILLIS, readTimeoutMillis,
                    counters, log, ctx -> ctx.channel().writeAndFlush(text(HttpResponseStatus.REQUEST_TIMEOUT,
                            "the request did not arrive within " + readTimeoutMillis + " ms", false))
                            .addListener(ChannelFutureListener.CLOSE));
            ch.pipeline().addLast("limit", limiter);
            ch.pipeline().addLast("timeouts", timeouts);
            ch.pipeline().addLast("decoder", new StrictHttpRequestDecoder());
            ch.pipeline().addLast("encoder", new HttpResponseEncoder());
            ch.pipeline().addLast("framing", new HttpFramingGuard((ctx, status, reason) ->
                    log.warn("[{}] answered {} to {}: {}", logName, status.code(), ctx.channel().remoteAddress(),
                            reason), timeouts, null));
            ch.pipeline().addLast("aggregate", new HttpObjectAggregator(MAX_BODY_BYTES, true));
            ch.pipeline().addLast("routes", dispatcher);
        });
    }

    /** The bound address, or null when stopped. */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    @Override
    public void close() {
        server.stop();
    }

    /** Answers one GET or HEAD request for its path; must not block. */
    @FunctionalInterface
    public interface Route {
        Answer answer(Request request);
    }

    /**
     * Answers a request later, from any thread: for work that may take long (a query over many
     * series), handed to a worker pool so the event loop goes on serving every other connection.
     * Called on the event loop, so it must only hand the work over. The connection reads no further
     * request until the answer is written, so answers keep the order of requests.
     */
    @FunctionalInterface
    public interface DeferredRoute {
        CompletionStage<Answer> answerLater(Request request);
    }

    /** A route answered through {@code route}, off the event loop. */
    public static Route deferred(DeferredRoute route) {
        return new Deferred(requireNonNull(route, "route is null"));
    }

    private record Deferred(DeferredRoute route) implements Route {
        @Override
        public Answer answer(Request request) {
            throw new UnsupportedOperationException("a deferred route answers through answerLater");
        }
    }

    private static final AttributeKey<Boolean> STREAMING = AttributeKey.valueOf("sluice.streaming");
    /** Requests that arrived while a deferred answer was pending, in order; set while one is pending. */
    private static final AttributeKey<ArrayDeque<FullHttpRequest>> WAITING = AttributeKey.valueOf("sluice.waiting");

    private static FullHttpResponse text(HttpResponseStatus status, String message, boolean keepAlive) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
        return r;
    }

    /** Finds the route of each request and writes its answer. Sharable: no per-request state. */
    @ChannelHandler.Sharable
    private final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            ArrayDeque<FullHttpRequest> waiting = ctx.channel().attr(WAITING).get();
            if (waiting != null) {
                // pipelined behind a deferred answer: served after it, so answers keep their order
                waiting.add(request.retain());
                return;
            }
            handle(ctx, request);
        }

        private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (Boolean.TRUE.equals(ctx.channel().attr(STREAMING).get())) {
                return; // a streaming connection serves no further request
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            boolean head = HttpMethod.HEAD.equals(request.method());
            FullHttpResponse r;
            if (!HttpMethod.GET.equals(request.method()) && !head) {
                r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET is supported", keepAlive);
                r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            } else {
                String path = new QueryStringDecoder(request.uri()).path();
                Route route = routes.get(path.length() > 1 && path.endsWith("/")
                        ? path.substring(0, path.length() - 1) : path);
                if (route == null) {
                    r = text(HttpResponseStatus.NOT_FOUND, "not found: try " + String.join(" or ", routes.keySet()),
                            keepAlive);
                } else if (route instanceof Deferred d) {
                    defer(ctx, request, d, keepAlive, head);
                    return;
                } else {
                    Answer a;
                    try {
                        a = route.answer(new Request(request, (InetSocketAddress) ctx.channel().remoteAddress()));
                    } catch (RuntimeException e) {
                        LOG.warn("[{}] answering {} failed", logName, request.uri(), e);
                        a = new Answer(500, "text/plain; charset=utf-8", "answering failed: " + e + "\n");
                    }
                    if (a.stream() != null && !head) {
                        startStream(ctx, a);
                        return;
                    }
                    r = answer(a, keepAlive);
                }
            }
            write(ctx, r, keepAlive, head);
        }

        private void write(ChannelHandlerContext ctx, FullHttpResponse response, boolean keepAlive, boolean head) {
            FullHttpResponse r = head ? response.replace(Unpooled.EMPTY_BUFFER) : response;
            if (head) {
                response.release();
            }
            if (keepAlive) {
                ctx.writeAndFlush(r);
            } else {
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /**
         * Hands the request to a deferred route and writes its answer on the connection's event loop
         * once it completes; meanwhile the connection reads nothing more and queues what was already
         * read, then serves that in order.
         */
        private void defer(ChannelHandlerContext ctx, FullHttpRequest request, Deferred route, boolean keepAlive,
                boolean head) {
            Channel ch = ctx.channel();
            ch.attr(WAITING).set(new ArrayDeque<>());
            ch.config().setAutoRead(false);
            FullHttpRequest held = request.retain();
            CompletionStage<Answer> later;
            try {
                later = route.route().answerLater(new Request(held, (InetSocketAddress) ch.remoteAddress()));
            } catch (RuntimeException e) {
                later = CompletableFuture.failedFuture(e);
            }
            later.whenComplete((answer, failure) -> ctx.executor().execute(() -> {
                held.release();
                Answer a = answer;
                if (failure != null || a == null) {
                    LOG.warn("[{}] answering {} failed", logName, held.uri(), failure);
                    a = new Answer(500, "text/plain; charset=utf-8", "answering failed: " + failure + "\n");
                }
                if (ch.isActive()) {
                    write(ctx, answer(a, keepAlive), keepAlive, head);
                }
                ArrayDeque<FullHttpRequest> waiting = ch.attr(WAITING).getAndSet(null);
                while (waiting != null && !waiting.isEmpty()) {
                    FullHttpRequest next = waiting.poll();
                    try {
                        if (ch.isActive() && ch.attr(WAITING).get() == null) {
                            handle(ctx, next);
                        } else if (ch.attr(WAITING).get() != null) {
                            ch.attr(WAITING).get().add(next.retain());
                        }
                    } finally {
                        next.release();
                    }
                }
                if (ch.attr(WAITING).get() == null) {
                    ch.config().setAutoRead(true);
                }
            }));
        }

        private FullHttpResponse answer(Answer a, boolean keepAlive) {
            byte[] body = a.body().getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(a.status()), Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            r.headers().set(HttpHeaderNames.CONNECTION,
                    keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
            a.headers().forEach((k, v) -> r.headers().set(k, v));
            return r;
        }

        /**
         * Sends the head of a chunked response and hands the body to the stream. Its writes go out
         * below the framing guard, so the connection's timeouts never see an answer sent: they stay
         * in the state of a request being processed, which has no timer.
         */
        private void startStream(ChannelHandlerContext ctx, Answer a) {
            Channel ch = ctx.channel();
            ch.attr(STREAMING).set(Boolean.TRUE);
            ChannelHandlerContext out = ch.pipeline().context("framing");
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(a.status()));
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, a.contentType());
            head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            head.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-cache");
            a.headers().forEach((k, v) -> head.headers().set(k, v));
            out.writeAndFlush(head);
            a.stream().start(new ChannelChunkWriter(out));
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("[{}] connection from {} failed", logName, ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }
}
