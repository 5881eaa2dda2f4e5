package io.sluice.core.source.http;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.SslContext;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.http.HttpFramingGuard;
import io.sluice.core.http.StrictHttpRequestDecoder;
import io.sluice.core.source.support.ConnectionLimiter;
import io.sluice.core.source.support.ConnectionTimeouts;
import io.sluice.core.source.support.NettyServer;
import io.sluice.core.source.support.PendingBytesBudget;
import io.sluice.core.source.support.RejectedInput;
import io.sluice.core.support.AbstractSource;
import io.sluice.core.support.RateLimitedLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code http} source: an HTTP/1.1 server (HTTPS when an {@link SslContext} is given) on
 * {@code bind:port}; see the package documentation for its answers. With {@code deadLetter.channel},
 * a request body the handler cannot turn into events is kept there (reason in {@code sluice.error}).
 *
 * <p>Thread-safe: start and stop are synchronised; requests run on Netty's threads.
 */
public final class HttpSource extends AbstractSource implements EventDrivenSource, DeadLetterAware {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSource.class);

    private final String logName;
    private final InetAddress bind;
    private final int port;
    private final int maxRequestBytes;
    private final HttpLimits limits;
    private final HttpEventDecoder decoder;
    private final SslContext ssl;
    private final SourceCounter counter;
    private final Clock clock;
    private final RateLimitedLog rejectLog;
    private final NettyServer server;
    private final RejectedInput rejected;

    HttpSource(String name, String logName, InetAddress bind, int port, int maxRequestBytes, HttpLimits limits,
            HttpEventDecoder decoder, SslContext ssl, SourceCounter counter, Clock clock) {
        super(name);
        this.logName = requireNonNull(logName, "logName is null");
        this.bind = requireNonNull(bind, "bind is null");
        this.port = port;
        this.maxRequestBytes = maxRequestBytes;
        this.limits = requireNonNull(limits, "limits is null");
        this.decoder = requireNonNull(decoder, "decoder is null");
        this.ssl = ssl;
        this.counter = requireNonNull(counter, "counter is null");
        this.rejected = new RejectedInput(logName, counter);
        this.clock = requireNonNull(clock, "clock is null");
        this.rejectLog = new RateLimitedLog(LOG, 5000, clock);
        this.server = new NettyServer(logName, "http-" + name);
    }

    @Override
    public void setDeadLetters(DeadLetters deadLetters) {
        rejected.setDeadLetters(deadLetters);
    }

    @Override
    protected void doStart() {
        getChannelProcessor(); // fails clearly when the agent has not set it yet
        HttpEventsHandler events = new HttpEventsHandler(logName, this::getChannelProcessor, decoder, counter,
                rejectLog, limits.requestTimeoutMillis(), clock, rejected);
        ConnectionLimiter limiter = new ConnectionLimiter(logName, limits.maxConnections(), counter, rejectLog);
        PendingBytesBudget budget = new PendingBytesBudget(limits.maxPendingBytes(), counter);
        InetSocketAddress at = server.bindTcp(bind, port, 2, 4, b -> { }, (ch, handlers) -> {
            ConnectionTimeouts timeouts = new ConnectionTimeouts(logName, limits.idleTimeoutMillis(),
                    limits.readTimeoutMillis(), counter, rejectLog, HttpSource::answerRequestTimeout);
            ch.pipeline().addLast("limit", limiter);
            ch.pipeline().addLast("timeouts", timeouts);
            if (ssl != null) {
                ch.pipeline().addLast("ssl", ssl.newHandler(ch.alloc()));
            }
            ch.pipeline().addLast("decoder", new StrictHttpRequestDecoder());
            ch.pipeline().addLast("encoder", new HttpResponseEncoder());
            ch.pipeline().addLast("framing", new HttpFramingGuard((ctx, status, reason) -> {
                counter.incrementEventReadFail();
                rejectLog.warn("[{}] answered {} to {} and closed the connection: {}", logName, status.code(),
                        ctx.channel().remoteAddress(), reason);
            }, timeouts, budget));
            ch.pipeline().addLast("arrival", new HttpEventsHandler.ArrivalStamp(clock));
            ch.pipeline().addLast("aggregate", new LimitedAggregator(logName, maxRequestBytes, counter, rejectLog));
            ch.pipeline().addLast(handlers, "events", events);
        });
        counter.markStarted(clock.millis());
        LOG.info("[{}] http source listening on {}{}", logName, at, ssl == null ? "" : " (HTTPS)");
    }

    /** A request that did not arrive within readTimeout is answered 408 and its connection closed. */
    private static void answerRequestTimeout(ChannelHandlerContext ctx) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.REQUEST_TIMEOUT,
                Unpooled.copiedBuffer("The request did not arrive within readTimeout; send it again.\n",
                        StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=UTF-8");
        r.headers().set(HttpHeaderNames.CONTENT_LENGTH, r.content().readableBytes());
        r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        ctx.channel().writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    protected void doStop() {
        server.stop();
        counter.markStopped(clock.millis());
        LOG.info("[{}] http source stopped", logName);
    }

    /** The address the server is bound to, or null when stopped. */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }
}
