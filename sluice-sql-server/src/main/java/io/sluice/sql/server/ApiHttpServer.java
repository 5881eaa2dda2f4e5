package io.sluice.sql.server;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.ssl.SslContext;
import io.netty.util.AttributeKey;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.http.ChannelChunkWriter;
import io.sluice.core.http.HttpEndpointServer.ChunkWriter;
import io.sluice.core.http.HttpFramingGuard;
import io.sluice.core.http.StrictHttpRequestDecoder;
import io.sluice.core.source.support.ConnectionLimiter;
import io.sluice.core.source.support.ConnectionTimeouts;
import io.sluice.core.source.support.NettyServer;
import io.sluice.core.support.RateLimitedLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The server's HTTP/1.1 listener (optionally TLS): strict request framing, a bearer token on every
 * request (401 with an empty body otherwise), at most {@code maxConnections} connections, an idle
 * timeout, a read timeout from a request's first byte (408), and request bodies of at most
 * {@code maxRequestBytes} (413). Requests are answered by one {@link Handler} on a pool of handler
 * threads (never on the I/O threads), so a slow statement does not stall other connections. An
 * answer may be a {@linkplain Reply#stream stream}: a chunked body written from any thread until it
 * ends or the client goes away; such a connection has no idle timeout and serves no further request.
 *
 * <p>Thread-safe: start and stop are synchronised; the handler must be thread-safe.
 */
final class ApiHttpServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiHttpServer.class);
    private static final AttributeKey<Boolean> STREAMING = AttributeKey.valueOf("sluice.sql.streaming");

    /** One request: method, path, query parameters, headers and the whole body. */
    record Request(String method, String path, Map<String, List<String>> parameters, FullHttpRequest http,
            byte[] body) {
        String parameter(String name) {
            List<String> v = parameters.get(name);
            return v == null || v.isEmpty() ? null : v.get(0);
        }

        String header(String name) {
            return http.headers().get(name);
        }
    }

    /** Writes a streamed body; called on a handler thread once the head is sent; must not block long. */
    @FunctionalInterface
    interface StreamBody {
        void start(ChunkWriter out);
    }

    /** An answer: status, content type and body, or a stream; and headers of its own (may be empty). */
    record Reply(int status, String contentType, String body, StreamBody stream, Map<String, String> headers) {
        Reply {
            headers = Map.copyOf(headers);
        }

        static Reply json(int status, String json) {
            return new Reply(status, "application/json", json, null, Map.of());
        }

        static Reply empty(int status) {
            return new Reply(status, "text/plain", "", null, Map.of());
        }

        static Reply stream(StreamBody body) {
            return stream(body, Map.of());
        }

        /** A stream answered with {@code headers} besides the stream's own. */
        static Reply stream(StreamBody body, Map<String, String> headers) {
            return new Reply(200, "application/x-ndjson", "", requireNonNull(body, "body is null"), headers);
        }
    }

    /** Answers one request. */
    @FunctionalInterface
    interface Handler {
        Reply handle(Request request);
    }

    /** Limits of the listener. */
    record Limits(int maxConnections, long idleTimeoutMillis, long readTimeoutMillis, int maxRequestBytes,
            int handlerThreads) {
    }

    private final String token;
    private final Handler handler;
    private final Limits limits;
    private final SslContext ssl;
    private final CounterGroup counters = new CounterGroup("SERVER", "rtsql");
    private final NettyServer server = new NettyServer("rtsql server", "rtsql-server");
    private final RateLimitedLog log = new RateLimitedLog(LOG, 5000, Clock.systemUTC());

    ApiHttpServer(String token, Handler handler, Limits limits, SslContext ssl) {
        this.token = requireNonNull(token, "token is null");
        this.handler = requireNonNull(handler, "handler is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.ssl = ssl;
    }

    InetSocketAddress start(InetAddress bind, int port) {
        ConnectionLimiter limiter = new ConnectionLimiter("rtsql server", limits.maxConnections(), counters, log);
        return server.bindTcp(bind, port, 2, limits.handlerThreads(), b -> { }, (ch, handlers) -> {
            if (ssl != null) {
                ch.pipeline().addLast("tls", ssl.newHandler(ch.alloc()));
            }
            ConnectionTimeouts timeouts = new ConnectionTimeouts("rtsql server", limits.idleTimeoutMillis(),
                    limits.readTimeoutMillis(), counters, log, ctx -> ctx.channel().writeAndFlush(
                            text(HttpResponseStatus.REQUEST_TIMEOUT, "the request did not arrive within "
                                    + limits.readTimeoutMillis() + " ms")).addListener(ChannelFutureListener.CLOSE));
            ch.pipeline().addLast("limit", limiter);
            ch.pipeline().addLast("timeouts", timeouts);
            ch.pipeline().addLast("decoder", new StrictHttpRequestDecoder());
            ch.pipeline().addLast("encoder", new HttpResponseEncoder());
            ch.pipeline().addLast("framing", new HttpFramingGuard((ctx, status, reason) ->
                    log.warn("[rtsql server] answered {} to {}: {}", status.code(), ctx.channel().remoteAddress(),
                            reason), timeouts, null));
            ch.pipeline().addLast("aggregate", new HttpObjectAggregator(limits.maxRequestBytes(), true));
            ch.pipeline().addLast(handlers, "api", new Dispatcher());
        });
    }

    InetSocketAddress localAddress() {
        return server.localAddress();
    }

    /** Connections refused over the limit and closed by a timeout, for tests and logs. */
    CounterGroup counters() {
        return counters;
    }

    @Override
    public void close() {
        server.stop();
    }

    private static FullHttpResponse text(HttpResponseStatus status, String message) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        return r;
    }

    /** Checks the token, finds the answer, writes it. One per connection. */
    private final class Dispatcher extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest http) {
            if (Boolean.TRUE.equals(ctx.channel().attr(STREAMING).get())) {
                return;
            }
            boolean keepAlive = HttpUtil.isKeepAlive(http);
            String auth = http.headers().get(HttpHeaderNames.AUTHORIZATION);
            Reply reply;
            if (auth == null || !auth.startsWith("Bearer ") || !TokenFile.matches(token, auth.substring(7).strip())) {
                reply = Reply.empty(401);
            } else {
                QueryStringDecoder q = new QueryStringDecoder(http.uri());
                Request req = new Request(http.method().name(), q.path(), q.parameters(), http,
                        ByteBufUtil.getBytes(http.content()));
                try {
                    reply = handler.handle(req);
                } catch (RuntimeException e) {
                    LOG.warn("[rtsql server] answering {} {} failed", http.method(), http.uri(), e);
                    reply = Reply.json(500, Json.error("internal", "answering failed: " + e));
                }
            }
            if (reply.stream() != null) {
                startStream(ctx, reply);
                return;
            }
            byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(reply.status()), Unpooled.wrappedBuffer(body));
            if (body.length > 0) {
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
            }
            r.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
            reply.headers().forEach((k, v) -> r.headers().set(k, v));
            r.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
            if (keepAlive) {
                ctx.writeAndFlush(r);
            } else {
                ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
            }
        }

        /** Sends a chunked head and hands the body to the stream, below the framing guard (no timers). */
        private void startStream(ChannelHandlerContext ctx, Reply a) {
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
            LOG.debug("[rtsql server] connection from {} failed", ctx.channel().remoteAddress(), cause);
            ctx.close();
        }
    }
}
