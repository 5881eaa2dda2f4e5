package io.sluice.avro;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.ipfilter.IpFilterRule;
import io.netty.handler.ipfilter.RuleBasedIpFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.sluice.api.Event;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.ConnectionLimiter;
import io.sluice.core.source.support.FrameDeadline;
import io.sluice.core.source.support.PartialFrameBudget;
import io.sluice.core.source.support.PendingBytesBudget;
import io.sluice.core.source.support.RequestBacklog;
import io.sluice.core.source.support.RpcDelivery;
import io.sluice.core.support.AbstractSource;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.sdk.tls.TlsContexts;
import io.sluice.sdk.wire.AvroRpcProtocol;
import io.sluice.sdk.wire.FrameDecoder;
import io.sluice.sdk.wire.OversizeFrame;
import io.sluice.sdk.wire.TransportLayers;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code avro} source: a Netty server speaking Apache Flume's {@code AvroSourceProtocol}. Each
 * request's events go to the channel processor as one batch; the answer is {@code OK} only after
 * the batch is committed to every required channel, {@code FAILED} when a channel is full or the
 * batch is refused otherwise. A request above {@code max-frame-bytes} is answered with an Avro
 * error naming both sizes (after the handshake response when it is a client's first request), its
 * bytes skipped as they arrive, never held ({@code RequestTooLargeCount}). A connection that sends
 * bytes outside the protocol, a first request whose first buffer alone is over
 * {@code max-frame-bytes}, stays silent before its handshake for {@code read-timeout}, or does not
 * send a whole request within {@code read-timeout} of its first byte (however slowly it trickles)
 * is logged and closed; other connections are not affected.
 *
 * <p>Thread-safety: {@link #start()} and {@link #stop()} are synchronized; requests are handled on
 * the event loop of their connection and call the (thread-safe) channel processor there.
 */
public final class AvroSource extends AbstractSource implements EventDrivenSource {
    private static final Logger LOG = LoggerFactory.getLogger(AvroSource.class);

    private final String logName;
    /** Counter of connections closed because ipFilterRules denied their address. */
    public static final String DENIED = "ConnectionDeniedCount";
    /** Counter of requests over {@code max-frame-bytes}, answered with an error and skipped unread. */
    public static final String TOO_LARGE = "RequestTooLargeCount";

    private final AvroSourceConfig config;
    private final AvroConnectionLimits limits;
    private final SourceCounter counter;
    private final ServerHandshake handshakes = new ServerHandshake();
    private final RpcDelivery calls;
    private final RateLimitedLog tooLargeLog = new RateLimitedLog(LOG, 5000, Clock.systemUTC());
    private EventLoopGroup boss;
    private EventLoopGroup workers;
    private EventExecutorGroup delivery;
    private ChannelGroup connections;
    private Channel server;
    private volatile int boundPort = -1;

    public AvroSource(String name, String logName, AvroSourceConfig config, SourceCounter counter) {
        this(name, logName, config, AvroConnectionLimits.DEFAULT, counter);
    }

    public AvroSource(String name, String logName, AvroSourceConfig config, AvroConnectionLimits limits,
            SourceCounter counter) {
        super(name);
        this.logName = requireNonNull(logName, "logName is null");
        this.config = requireNonNull(config, "config is null");
        this.limits = requireNonNull(limits, "limits is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.calls = new RpcDelivery(logName, counter, this::getChannelProcessor, LOG);
        counter.counter(DENIED);
        counter.counter(TOO_LARGE);
    }

    AvroSourceConfig config() {
        return config;
    }

    ServerHandshake handshakes() {
        return handshakes;
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
        SslContext ssl = null;
        if (config.ssl()) {
            try {
                ssl = TlsContexts.forServer(config.keystore(), config.keystorePassword(), config.keystoreType(),
                        config.tlsFilters());
            } catch (RuntimeException e) {
                throw new IllegalStateException("[" + logName + "] " + e.getMessage(), e);
            }
        }
        SslContext tls = ssl;
        boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("avro-" + name() + "-accept", true),
                NioIoHandler.newFactory());
        workers = new MultiThreadIoEventLoopGroup(config.ioThreads(),
                new DefaultThreadFactory("avro-" + name() + "-io", true), NioIoHandler.newFactory());
        delivery = new DefaultEventExecutorGroup(deliveryThreads(),
                new DefaultThreadFactory("avro-" + name() + "-put", true));
        connections = new DefaultChannelGroup("avro-" + name(), GlobalEventExecutor.INSTANCE);
        List<IpFilterRule> rules = config.ipFilterRules();
        RateLimitedLog limitLog = new RateLimitedLog(LOG, 5000, Clock.systemUTC());
        ConnectionLimiter limiter = new ConnectionLimiter(logName, limits.maxConnections(), counter, limitLog);
        PendingBytesBudget budget = new PendingBytesBudget(limits.maxPendingBytes(), counter);
        ServerBootstrap b = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (!rules.isEmpty()) {
                            ch.pipeline().addLast("ipfilter", new RuleBasedIpFilter(true,
                                    rules.toArray(new IpFilterRule[0])) {
                                @Override
                                protected ChannelFuture channelRejected(ChannelHandlerContext ctx,
                                        InetSocketAddress remote) {
                                    counter.counter(DENIED).increment();
                                    limitLog.warn("[{}] denied a connection from {}: ipFilterRules do not allow it",
                                            logName, remote);
                                    return null;
                                }
                            });
                        }
                        ch.pipeline().addLast("limit", limiter);
                        TransportLayers.add(ch.pipeline(), ch.alloc(), tls, null, 0, config.deflate(), 6,
                                config.maxFrameBytes(), true);
                        FrameDecoder frames = (FrameDecoder) ch.pipeline().get("frames");
                        ch.pipeline().addBefore("frames", "deadline", new FrameDeadline(config.readTimeoutMillis(),
                                frames::hasPartialFrame, frames::completedFrames));
                        ch.pipeline().addBefore("frames", "pending", new PartialFrameBudget(budget, frames::heldBytes,
                                () -> limitLog.warn("[{}] closed a connection from {}: partly received requests"
                                        + " already hold maxPendingBytes = {} bytes", logName, ch.remoteAddress(),
                                        limits.maxPendingBytes())));
                        ch.pipeline().addLast("idle", new IdleStateHandler(config.readTimeoutMillis(), 0, 0,
                                TimeUnit.MILLISECONDS));
                        // 16 requests waiting for the delivery thread: stop reading until 2 are left
                        RequestBacklog backlog = new RequestBacklog(16, 2);
                        ch.pipeline().addLast("backlog", backlog);
                        ch.pipeline().addLast(delivery, "rpc", new AvroRequestHandler(AvroSource.this, backlog));
                    }
                });
        try {
            server = b.bind(config.bind(), config.port()).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            shutdownGroups();
            throw new IllegalStateException("[" + logName + "] cannot listen on " + config.bind() + ":" + config.port()
                    + ": " + e.getMessage() + " (is the port in use? set another port or stop the other process)", e);
        }
        boundPort = ((InetSocketAddress) server.localAddress()).getPort();
        counter.markStarted(System.currentTimeMillis());
        LOG.info("[{}] Avro source listening on {}:{} (compression {}, ssl {})", logName, config.bind(), boundPort,
                config.deflate() ? "deflate" : "none", config.ssl());
    }

    @Override
    protected void doStop() {
        if (server != null) {
            server.close().syncUninterruptibly();
        }
        if (connections != null) {
            connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        shutdownGroups();
        counter.setOpenConnections(0);
        counter.markStopped(System.currentTimeMillis());
        LOG.info("[{}] Avro source stopped; counters {}", logName, counter.snapshot());
    }

    /**
     * Threads that put requests into the channels, off the event loops: a put may wait for a durable
     * channel's fsync or for room in a full channel, and while it waits the event loop keeps serving
     * its other connections, so concurrent clients commit concurrently (a file channel then covers
     * their commits with one fsync). Each connection stays on one of these threads, so its requests
     * are put and answered in order.
     */
    static int deliveryThreads() {
        return Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
    }

    private void shutdownGroups() {
        if (boss != null) {
            boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
        if (delivery != null) {
            delivery.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    void connectionOpened(Channel ch) {
        connections.add(ch);
        counter.setOpenConnections(connections.size());
        ch.closeFuture().addListener(f -> counter.setOpenConnections(connections.size()));
    }

    /** Puts a batch; returns the status to answer. Runs on the connection's delivery thread. */
    int deliverBatch(List<Event> events, SocketAddress from) {
        return calls.deliverBatch(events, from) ? AvroRpcProtocol.STATUS_OK : AvroRpcProtocol.STATUS_FAILED;
    }

    int deliverOne(Event event, SocketAddress from) {
        return calls.deliverOne(event, from) ? AvroRpcProtocol.STATUS_OK : AvroRpcProtocol.STATUS_FAILED;
    }

    /** A request over max-frame-bytes was refused: answered with an error, its bytes skipped unread. */
    void requestTooLarge(Channel ch, OversizeFrame request) {
        counter.counter(TOO_LARGE).increment();
        tooLargeLog.warn("[{}] refused a request of at least {} bytes from {}: over max-frame-bytes = {}; the sender"
                + " was answered with an error naming both sizes", logName, request.declaredBytes(), ch.remoteAddress(),
                request.limit());
    }

    void badConnection(Channel ch, String reason) {
        calls.badConnection(ch, reason);
    }

    void connectionError(Channel ch, Throwable cause) {
        calls.connectionError(ch, cause);
    }

    @Override
    public String toString() {
        return "AvroSource[" + logName + " " + config.bind() + ":" + boundPort + "]";
    }
}
