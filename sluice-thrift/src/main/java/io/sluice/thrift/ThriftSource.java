package io.sluice.thrift;

import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.sluice.api.Event;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.avro.AvroSource;
import io.sluice.core.source.support.ConnectionLimiter;
import io.sluice.core.source.support.FrameDeadline;
import io.sluice.core.source.support.NettyServer;
import io.sluice.core.source.support.PartialFrameBudget;
import io.sluice.core.source.support.PendingBytesBudget;
import io.sluice.core.source.support.RequestBacklog;
import io.sluice.core.source.support.RpcDelivery;
import io.sluice.core.support.AbstractSource;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.sdk.thrift.OversizeCall;
import io.sluice.sdk.thrift.ThriftFrameDecoder;
import io.sluice.sdk.thrift.ThriftMessages;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code thrift} source: a Netty server speaking Apache Flume's {@code ThriftSourceProtocol}
 * over framed transport, in the compact or the binary protocol (recognised per message). Each
 * request's events go to the channel processor as one batch; the answer is {@code OK} only after
 * the batch is committed to every required channel, {@code FAILED} when a channel is full or the
 * batch is refused otherwise. A call whose frame is above {@code max-frame-bytes} is answered with
 * Thrift's application exception naming both sizes, its bytes skipped as they arrive, never held
 * ({@code RequestTooLargeCount}); the connection goes on. A connection that sends bytes outside
 * the protocol (an over-size length not followed by a Thrift call included), or does not send a
 * whole frame within {@code read-timeout} of its first byte (however slowly it trickles) is logged,
 * counted in {@code EventReadFail} and closed; other connections are not affected.
 *
 * <p>Thread-safety: {@link #start()} and {@link #stop()} are synchronized; requests are decoded and
 * put on the delivery thread of their connection, which calls the (thread-safe) channel processor.
 */
public final class ThriftSource extends AbstractSource implements EventDrivenSource {
    private static final Logger LOG = LoggerFactory.getLogger(ThriftSource.class);

    /** Counter of calls over {@code max-frame-bytes}, answered with an exception and skipped unread. */
    public static final String TOO_LARGE = AvroSource.TOO_LARGE;

    private final String logName;
    private final ThriftSourceConfig config;
    private final SourceCounter counter;
    private final NettyServer server;
    private final RpcDelivery calls;
    private final RateLimitedLog tooLargeLog = new RateLimitedLog(LOG, 5000, Clock.systemUTC());
    private volatile int boundPort = -1;

    public ThriftSource(String name, String logName, ThriftSourceConfig config, SourceCounter counter) {
        super(name);
        this.logName = requireNonNull(logName, "logName is null");
        this.config = requireNonNull(config, "config is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.calls = new RpcDelivery(logName, counter, this::getChannelProcessor, LOG);
        this.server = new NettyServer(logName, "thrift-" + name);
        counter.counter(TOO_LARGE);
    }

    ThriftSourceConfig config() {
        return config;
    }

    /** The port the source listens on, once started (useful with {@code port = 0}). */
    public int port() {
        return boundPort;
    }

    public SourceCounter counter() {
        return counter;
    }

    @Override
    protected void doStart() {
        getChannelProcessor(); // fails fast when the agent has not set the channel processor
        InetAddress bind;
        try {
            bind = InetAddress.getByName(config.bind());
        } catch (UnknownHostException e) {
            throw new IllegalStateException("[" + logName + "] cannot listen on " + config.bind() + ": unknown host"
                    + " (set bind to an address of this machine, or 0.0.0.0)", e);
        }
        SslContext tls = config.tls().orElse(null);
        RateLimitedLog limitLog = new RateLimitedLog(LOG, 5000, Clock.systemUTC());
        ConnectionLimiter limiter = new ConnectionLimiter(logName, config.maxConnections(), counter, limitLog);
        PendingBytesBudget budget = new PendingBytesBudget(config.maxPendingBytes(), counter);
        int ioThreads = Math.max(2, Runtime.getRuntime().availableProcessors());
        InetSocketAddress at = server.bindTcp(bind, config.port(), ioThreads, config.workerThreads(),
                b -> b.option(ChannelOption.SO_BACKLOG, 1024).childOption(ChannelOption.TCP_NODELAY, true),
                (ch, handlers) -> {
                    ch.pipeline().addLast("limit", limiter);
                    if (tls != null) {
                        ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                    }
                    ThriftFrameDecoder frames = new ThriftFrameDecoder(config.maxFrameBytes(), true);
                    ch.pipeline().addLast("deadline", new FrameDeadline(config.readTimeoutMillis(),
                            frames::hasPartialFrame, frames::completedFrames));
                    ch.pipeline().addLast("pending", new PartialFrameBudget(budget, frames::heldBytes,
                            () -> limitLog.warn("[{}] closed a connection from {}: partly received requests"
                                    + " already hold maxPendingBytes = {} bytes", logName, ch.remoteAddress(),
                                    config.maxPendingBytes())));
                    ch.pipeline().addLast("frames", frames);
                    if (config.idleTimeoutMillis() > 0) {
                        ch.pipeline().addLast("idle-timeout", new IdleStateHandler(0, 0, config.idleTimeoutMillis(),
                                TimeUnit.MILLISECONDS));
                    }
                    // 16 requests waiting for the delivery thread: stop reading until 2 are left
                    RequestBacklog backlog = new RequestBacklog(16, 2);
                    ch.pipeline().addLast("backlog", backlog);
                    ch.pipeline().addLast(handlers, "rpc", new ThriftRequestHandler(this, backlog));
                });
        boundPort = at.getPort();
        counter.markStarted(System.currentTimeMillis());
        LOG.info("[{}] Thrift source listening on {}:{} (compact and binary protocol, ssl {})", logName,
                config.bind(), boundPort, tls != null);
    }

    @Override
    protected void doStop() {
        server.stop();
        counter.setOpenConnections(0);
        counter.markStopped(System.currentTimeMillis());
        LOG.info("[{}] Thrift source stopped; counters {}", logName, counter.snapshot());
    }

    /** Puts a batch; returns the status to answer. Runs on the connection's delivery thread. */
    int deliverBatch(List<Event> events, SocketAddress from) {
        return calls.deliverBatch(events, from) ? ThriftMessages.STATUS_OK : ThriftMessages.STATUS_FAILED;
    }

    int deliverOne(Event event, SocketAddress from) {
        return calls.deliverOne(event, from) ? ThriftMessages.STATUS_OK : ThriftMessages.STATUS_FAILED;
    }

    /** A call over max-frame-bytes was refused: answered with an exception, its bytes skipped unread. */
    void requestTooLarge(Channel ch, OversizeCall call) {
        counter.counter(TOO_LARGE).increment();
        tooLargeLog.warn("[{}] refused a {} call of {} bytes from {}: over max-frame-bytes = {}; the sender was"
                + " answered with an exception naming both sizes", logName, call.method(), call.declaredBytes(),
                ch.remoteAddress(), call.limit());
    }

    void badConnection(Channel ch, String reason) {
        calls.badConnection(ch, reason);
    }

    void connectionError(Channel ch, Throwable cause) {
        calls.connectionError(ch, cause);
    }

    @Override
    public String toString() {
        return "ThriftSource[" + logName + " " + config.bind() + ":" + boundPort + "]";
    }
}
