package io.sluice.core.source.support;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.support.RateLimitedLog;
import java.util.concurrent.atomic.AtomicInteger;

import static java.util.Objects.requireNonNull;

/**
 * Admits at most {@code maxConnections} open connections to one source; a connection beyond that
 * is closed as soon as it is accepted, counted in {@value #REFUSED} and logged (rate-limited). It
 * also keeps the source's {@code OpenConnectionCount} gauge. Must be the first handler of every
 * connection of the source; a refused connection's events go no further.
 *
 * <p>Sharable and thread-safe: one instance per source, an atomic count of admitted connections.
 */
@ChannelHandler.Sharable
public final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    /** Counter of connections closed because {@code maxConnections} were already open. */
    public static final String REFUSED = "ConnectionRefusedCount";
    private static final AttributeKey<Boolean> ADMITTED = AttributeKey.valueOf("sluice.admitted");

    private final String logName;
    private final int maxConnections;
    private final CounterGroup counter;
    private final RateLimitedLog log;
    private final AtomicInteger open = new AtomicInteger();

    public ConnectionLimiter(String logName, int maxConnections, CounterGroup counter, RateLimitedLog log) {
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: > 0)");
        }
        this.logName = requireNonNull(logName, "logName is null");
        this.maxConnections = maxConnections;
        this.counter = requireNonNull(counter, "counter is null");
        this.log = requireNonNull(log, "log is null");
        counter.counter(REFUSED);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        int now = open.incrementAndGet();
        if (now > maxConnections) {
            open.decrementAndGet();
            counter.counter(REFUSED).increment();
            log.warn("[{}] refused a connection from {}: maxConnections = {} are open", logName,
                    ctx.channel().remoteAddress(), maxConnections);
            ctx.close();
            return;
        }
        ctx.channel().attr(ADMITTED).set(Boolean.TRUE);
        counter.gauge(SourceCounter.OPEN_CONNECTIONS).set(now);
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (ctx.channel().attr(ADMITTED).getAndSet(null) != null) {
            counter.gauge(SourceCounter.OPEN_CONNECTIONS).set(open.decrementAndGet());
            super.channelInactive(ctx);
        }
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
        if (ctx.channel().hasAttr(ADMITTED) && ctx.channel().attr(ADMITTED).get() != null) {
            super.channelRead(ctx, msg);
        } else {
            ReferenceCountUtil.release(msg);
        }
    }

    /** Connections admitted and still open. */
    public int openConnections() {
        return open.get();
    }
}
