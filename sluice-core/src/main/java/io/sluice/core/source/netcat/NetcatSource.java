package io.sluice.core.source.netcat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.ConnectionLimiter;
import io.sluice.core.source.support.ConnectionTimeouts;
import io.sluice.core.source.support.NettyServer;
import io.sluice.core.source.support.RejectedInput;
import io.sluice.core.source.support.RequestBacklog;
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
 * The {@code netcat} source: listens on {@code bind:port}; every line a client sends becomes an
 * event, answered {@code OK} once committed (when {@code ackEveryEvent}) or {@code FAILED: ...}
 * when the channel refused it, so a sender always learns what happened to its line. A line over
 * {@code max-line-length} is refused and counted in {@code EventReadFail}; with
 * {@code deadLetter.channel} its first {@code max-line-length} bytes are kept there.
 *
 * <p>Thread-safe: start and stop are synchronised; connections run on Netty's threads.
 */
public final class NetcatSource extends AbstractSource implements EventDrivenSource, DeadLetterAware {
    private static final Logger LOG = LoggerFactory.getLogger(NetcatSource.class);

    private final String logName;
    private final InetAddress bind;
    private final int port;
    private final int maxLineLength;
    private final boolean ackEveryEvent;
    private final long idleTimeoutMillis;
    private final long readTimeoutMillis;
    private final int maxConnections;
    private final SourceCounter counter;
    private final Clock clock;
    private final RateLimitedLog rejectLog;
    private final NettyServer server;
    private final RejectedInput rejected;

    NetcatSource(String name, String logName, InetAddress bind, int port, int maxLineLength, boolean ackEveryEvent,
            long idleTimeoutMillis, long readTimeoutMillis, int maxConnections, SourceCounter counter, Clock clock) {
        super(name);
        this.logName = requireNonNull(logName, "logName is null");
        this.bind = requireNonNull(bind, "bind is null");
        this.port = port;
        this.maxLineLength = maxLineLength;
        this.ackEveryEvent = ackEveryEvent;
        this.idleTimeoutMillis = idleTimeoutMillis;
        this.readTimeoutMillis = readTimeoutMillis;
        this.maxConnections = maxConnections;
        this.counter = requireNonNull(counter, "counter is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.rejectLog = new RateLimitedLog(LOG, 5000, clock);
        this.server = new NettyServer(logName, "netcat-" + name);
        this.rejected = new RejectedInput(logName, counter);
    }

    @Override
    public void setDeadLetters(DeadLetters deadLetters) {
        rejected.setDeadLetters(deadLetters);
    }

    @Override
    protected void doStart() {
        getChannelProcessor(); // fails clearly when the agent has not set it yet
        ConnectionLimiter limiter = new ConnectionLimiter(logName, maxConnections, counter, rejectLog);
        InetSocketAddress at = server.bindTcp(bind, port, 2, 4,
                // A sender that half-closes (nc -q, shutdown(SHUT_WR)) still gets the OK of every
                // line it sent: the connection is closed only after those are written.
                b -> b.childOption(ChannelOption.ALLOW_HALF_CLOSURE, true),
                (ch, handlers) -> {
                    ConnectionTimeouts timeouts = new ConnectionTimeouts(logName, idleTimeoutMillis,
                            readTimeoutMillis, counter, rejectLog, ctx -> ctx.channel().writeAndFlush(
                                    Unpooled.copiedBuffer("FAILED: the line did not end within readTimeout\n",
                                            StandardCharsets.US_ASCII)).addListener(ChannelFutureListener.CLOSE));
                    ch.pipeline().addLast("limit", limiter);
                    ch.pipeline().addLast("timeouts", timeouts);
                    // The limit counts the newline, as Apache Flume's does.
                    ch.pipeline().addLast("lines", new NetcatFrameDecoder(logName, maxLineLength, timeouts, counter,
                            rejectLog));
                    // more than 1024 lines waiting for the channel: stop reading until 128 are left
                    RequestBacklog gate = new RequestBacklog(1024, 128);
                    ch.pipeline().addLast("backlog", gate);
                    ch.pipeline().addLast(handlers, "events", new NetcatLineHandler(logName,
                            this::getChannelProcessor, counter, ackEveryEvent, maxLineLength, rejectLog, gate::done,
                            () -> { }, () -> { }, rejected));
                });
        counter.markStarted(clock.millis());
        LOG.info("[{}] netcat source listening on {}", logName, at);
    }

    @Override
    protected void doStop() {
        server.stop();
        counter.setOpenConnections(0);
        counter.markStopped(clock.millis());
        LOG.info("[{}] netcat source stopped", logName);
    }

    /** The address the server is bound to, or null when stopped. */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }
}
