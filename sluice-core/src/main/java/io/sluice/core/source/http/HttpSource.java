package io.sluice.core.source.http;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.RateLimitedLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code http} source: an HTTP/1.1 server (HTTPS when an {@link SslContext} is given) on
 * {@code bind:port}; see the package documentation for its answers.
 *
 * <p>Thread-safe: start and stop are synchronised; requests run on Netty's threads.
 */
public final class HttpSource implements EventDrivenSource {
    private static final Logger LOG = LoggerFactory.getLogger(HttpSource.class);

    private final String name;
    private final String logName;
    private final InetAddress bind;
    private final int port;
    private final int maxRequestBytes;
    private final HttpEventDecoder decoder;
    private final SslContext ssl;
    private final SourceCounter counter;
    private final Clock clock;
    private final RateLimitedLog rejectLog;

    private volatile ChannelProcessor processor;
    private volatile State state = State.IDLE;
    private EventLoopGroup bossGroup;
    private EventLoopGroup ioGroup;
    private EventExecutorGroup handlerGroup;
    private Channel serverChannel;

    HttpSource(String name, String logName, InetAddress bind, int port, int maxRequestBytes, HttpEventDecoder decoder,
            SslContext ssl, SourceCounter counter, Clock clock) {
        this.name = requireNonNull(name, "name is null");
        this.logName = requireNonNull(logName, "logName is null");
        this.bind = requireNonNull(bind, "bind is null");
        this.port = port;
        this.maxRequestBytes = maxRequestBytes;
        this.decoder = requireNonNull(decoder, "decoder is null");
        this.ssl = ssl;
        this.counter = requireNonNull(counter, "counter is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.rejectLog = new RateLimitedLog(LOG, 5000, clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setChannelProcessor(ChannelProcessor processor) {
        this.processor = requireNonNull(processor, "processor is null");
    }

    @Override
    public ChannelProcessor getChannelProcessor() {
        return processor;
    }

    /** Accepted connections, closed on stop before the executors end. Thread-safe. */
    private final io.netty.channel.group.ChannelGroup connections =
            new io.netty.channel.group.DefaultChannelGroup(io.netty.util.concurrent.GlobalEventExecutor.INSTANCE);

    @Override
    public synchronized void start() {
        if (processor == null) {
            throw new IllegalStateException("[" + logName + "] start() called before setChannelProcessor()");
        }
        state = State.STARTING;
        bossGroup = new MultiThreadIoEventLoopGroup(1, threads("accept"), NioIoHandler.newFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(2, threads("io"), NioIoHandler.newFactory());
        handlerGroup = new DefaultEventExecutorGroup(4, threads("events"));
        HttpEventsHandler events = new HttpEventsHandler(logName, () -> processor, decoder, counter, rejectLog);
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        if (ssl != null) {
                            ch.pipeline().addLast("ssl", ssl.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast("http", new HttpServerCodec());
                        ch.pipeline().addLast("aggregate", new LimitedAggregator(logName, maxRequestBytes, counter,
                                rejectLog));
                        ch.pipeline().addLast(handlerGroup, "events", events);
                    }
                });
        try {
            serverChannel = b.bind(new InetSocketAddress(bind, port)).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            shutdownGroups();
            state = State.ERROR;
            throw new IllegalStateException("[" + logName + "] cannot listen on " + bind.getHostAddress() + ":"
                    + port + ": " + e.getMessage(), e);
        }
        counter.markStarted(clock.millis());
        state = State.STARTED;
        LOG.info("[{}] http source listening on {}{}", logName, serverChannel.localAddress(),
                ssl == null ? "" : " (HTTPS)");
    }

    @Override
    public synchronized void stop() {
        if (state != State.STARTED && state != State.ERROR) {
            state = State.STOPPED;
            return;
        }
        state = State.STOPPING;
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
            serverChannel = null;
        }
        // Close open connections while their event loops and the handler executors are alive, so
        // no response or close event is handed to an executor that has already terminated.
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownGroups();
        counter.markStopped(clock.millis());
        state = State.STOPPED;
        LOG.info("[{}] http source stopped", logName);
    }

    private void shutdownGroups() {
        // The handler executors end before the I/O loops they write to.
        for (EventExecutorGroup g : new EventExecutorGroup[] {bossGroup, handlerGroup, ioGroup}) {
            if (g != null) {
                g.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
        bossGroup = null;
        ioGroup = null;
        handlerGroup = null;
    }

    private ThreadFactory threads(String role) {
        return new DefaultThreadFactory("http-" + name + "-" + role, true);
    }

    @Override
    public State lifecycleState() {
        return state;
    }

    /** The address the server is bound to, or null when stopped. */
    public synchronized InetSocketAddress localAddress() {
        return serverChannel == null ? null : (InetSocketAddress) serverChannel.localAddress();
    }
}
