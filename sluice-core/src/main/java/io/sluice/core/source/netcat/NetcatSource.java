package io.sluice.core.source.netcat;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LineBasedFrameDecoder;
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
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code netcat} source: listens on {@code bind:port}; every line a client sends becomes an
 * event, answered {@code OK} once committed (when {@code ackEveryEvent}) or {@code FAILED: ...}
 * when the channel refused it, so a sender always learns what happened to its line.
 *
 * <p>Thread-safe: start and stop are synchronised; connections run on Netty's threads.
 */
public final class NetcatSource implements EventDrivenSource {
    private static final Logger LOG = LoggerFactory.getLogger(NetcatSource.class);

    private final String name;
    private final String logName;
    private final InetAddress bind;
    private final int port;
    private final int maxLineLength;
    private final boolean ackEveryEvent;
    private final SourceCounter counter;
    private final Clock clock;
    private final RateLimitedLog rejectLog;
    private final AtomicInteger openConnections = new AtomicInteger();

    private volatile ChannelProcessor processor;
    private volatile State state = State.IDLE;
    private EventLoopGroup bossGroup;
    private EventLoopGroup ioGroup;
    private EventExecutorGroup handlerGroup;
    private Channel serverChannel;

    NetcatSource(String name, String logName, InetAddress bind, int port, int maxLineLength, boolean ackEveryEvent,
            SourceCounter counter, Clock clock) {
        this.name = requireNonNull(name, "name is null");
        this.logName = requireNonNull(logName, "logName is null");
        this.bind = requireNonNull(bind, "bind is null");
        this.port = port;
        this.maxLineLength = maxLineLength;
        this.ackEveryEvent = ackEveryEvent;
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

    @Override
    public synchronized void start() {
        if (processor == null) {
            throw new IllegalStateException("[" + logName + "] start() called before setChannelProcessor()");
        }
        state = State.STARTING;
        bossGroup = new MultiThreadIoEventLoopGroup(1, threads("accept"), NioIoHandler.newFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(2, threads("io"), NioIoHandler.newFactory());
        handlerGroup = new DefaultEventExecutorGroup(4, threads("events"));
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                // A sender that half-closes (nc -q, shutdown(SHUT_WR)) still gets the OK of every
                // line it sent: the connection is closed only after those are written.
                .childOption(ChannelOption.ALLOW_HALF_CLOSURE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // The limit counts the newline, as Apache Flume's does.
                        ch.pipeline().addLast("lines", new LineBasedFrameDecoder(Math.max(1, maxLineLength - 1),
                                false, false));
                        BacklogGate gate = new BacklogGate();
                        ch.pipeline().addLast("backlog", gate);
                        ch.pipeline().addLast(handlerGroup, "events", new NetcatLineHandler(logName,
                                () -> processor, counter, ackEveryEvent, maxLineLength, rejectLog, gate::done,
                                () -> counter.setOpenConnections(openConnections.incrementAndGet()),
                                () -> counter.setOpenConnections(openConnections.decrementAndGet())));
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
        LOG.info("[{}] netcat source listening on {}", logName, serverChannel.localAddress());
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
        shutdownGroups();
        counter.setOpenConnections(0);
        counter.markStopped(clock.millis());
        state = State.STOPPED;
        LOG.info("[{}] netcat source stopped", logName);
    }

    private void shutdownGroups() {
        for (var g : new io.netty.util.concurrent.EventExecutorGroup[] {bossGroup, ioGroup, handlerGroup}) {
            if (g != null) {
                g.shutdownGracefully(0, 5, TimeUnit.SECONDS).syncUninterruptibly();
            }
        }
        bossGroup = null;
        ioGroup = null;
        handlerGroup = null;
    }

    private ThreadFactory threads(String role) {
        return new DefaultThreadFactory("netcat-" + name + "-" + role, true);
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
