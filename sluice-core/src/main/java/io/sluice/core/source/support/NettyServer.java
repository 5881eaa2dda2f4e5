package io.sluice.core.source.support;

import io.netty.bootstrap.AbstractBootstrap;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutorGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static java.util.Objects.requireNonNull;

/**
 * The listening socket of a network source and the Netty threads behind it: an accept loop (TCP
 * only), I/O loops, and executors for handlers that may block on the channel. {@link #bindTcp} and
 * {@link #bindUdp} create the threads and bind, failing with "cannot listen on host:port" and no
 * threads left behind; accepted connections are tracked so that {@link #stop()} can close the
 * listening socket, then the open connections, then end the accept loop, the handler executors and
 * finally the I/O loops they write to (ending them in another order makes Netty hand work to an
 * executor that has already terminated). After {@code stop()} the server may be bound again.
 *
 * <p>Thread-safe: bind, stop and {@link #localAddress()} are synchronised; the connection group is
 * Netty's thread-safe {@link ChannelGroup}.
 */
public final class NettyServer {
    private final String logName;
    private final String threadPrefix;
    /** Accepted connections, closed on stop before the executors end. */
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    private EventLoopGroup bossGroup;
    private EventLoopGroup ioGroup;
    private EventExecutorGroup handlerGroup;
    private Channel channel;

    /** What to add to the pipeline of a new channel; handlers that may block go on {@code handlers}. */
    @FunctionalInterface
    public interface PipelineSetup<C extends Channel> {
        void init(C channel, EventExecutorGroup handlers);
    }

    /**
     * @param logName the component name for error messages, such as {@code a1.sources.r1}
     * @param threadPrefix the start of the thread names, such as {@code netcat-r1}
     */
    public NettyServer(String logName, String threadPrefix) {
        this.logName = requireNonNull(logName, "logName is null");
        this.threadPrefix = requireNonNull(threadPrefix, "threadPrefix is null");
    }

    /**
     * Listens for TCP connections on {@code bind:port} with one accept thread, {@code ioThreads}
     * I/O threads and {@code handlerThreads} handler threads. {@code options} may add options to
     * the bootstrap ({@code SO_REUSEADDR} is already set).
     *
     * @return the bound address (the real port when {@code port} is 0)
     * @throws IllegalStateException naming the address when it cannot be bound
     */
    public synchronized InetSocketAddress bindTcp(InetAddress bind, int port, int ioThreads, int handlerThreads,
            Consumer<ServerBootstrap> options, PipelineSetup<SocketChannel> pipeline) {
        requireNonNull(pipeline, "pipeline is null");
        checkNotBound();
        bossGroup = new MultiThreadIoEventLoopGroup(1, threads("accept"), NioIoHandler.newFactory());
        ioGroup = new MultiThreadIoEventLoopGroup(ioThreads, threads("io"), NioIoHandler.newFactory());
        EventExecutorGroup handlers = new DefaultEventExecutorGroup(handlerThreads, threads("events"));
        handlerGroup = handlers;
        ServerBootstrap b = new ServerBootstrap()
                .group(bossGroup, ioGroup)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        pipeline.init(ch, handlers);
                    }
                });
        options.accept(b);
        return bind(b, bind, port, "");
    }

    /**
     * Receives UDP datagrams on {@code bind:port} with one I/O thread and {@code handlerThreads}
     * handler threads. {@code options} may add options to the bootstrap ({@code SO_REUSEADDR} is
     * already set).
     *
     * @return the bound address (the real port when {@code port} is 0)
     * @throws IllegalStateException naming the address when it cannot be bound
     */
    public synchronized InetSocketAddress bindUdp(InetAddress bind, int port, int handlerThreads,
            Consumer<Bootstrap> options, PipelineSetup<NioDatagramChannel> pipeline) {
        requireNonNull(pipeline, "pipeline is null");
        checkNotBound();
        ioGroup = new MultiThreadIoEventLoopGroup(1, threads("io"), NioIoHandler.newFactory());
        EventExecutorGroup handlers = new DefaultEventExecutorGroup(handlerThreads, threads("events"));
        handlerGroup = handlers;
        Bootstrap b = new Bootstrap()
                .group(ioGroup)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_REUSEADDR, true)
                .handler(new ChannelInitializer<NioDatagramChannel>() {
                    @Override
                    protected void initChannel(NioDatagramChannel ch) {
                        pipeline.init(ch, handlers);
                    }
                });
        options.accept(b);
        return bind(b, bind, port, "UDP ");
    }

    private InetSocketAddress bind(AbstractBootstrap<?, ?> b, InetAddress host, int port, String protocol) {
        try {
            channel = b.bind(new InetSocketAddress(host, port)).syncUninterruptibly().channel();
        } catch (Exception e) { // Netty rethrows the checked BindException undeclared
            shutdownGroups();
            throw new IllegalStateException("[" + logName + "] cannot listen on " + protocol + host.getHostAddress()
                    + ":" + port + ": " + e.getMessage(), e);
        }
        return (InetSocketAddress) channel.localAddress();
    }

    private void checkNotBound() {
        if (channel != null || ioGroup != null) {
            throw new IllegalStateException("[" + logName + "] already listening; stop() it first");
        }
    }

    /** Closes the socket and every accepted connection, and ends the threads. Does nothing when not bound. */
    public synchronized void stop() {
        if (channel != null) {
            channel.close().syncUninterruptibly();
            channel = null;
        }
        // Close open connections while their event loops and the handler executors are alive, so
        // no response or close event is handed to an executor that has already terminated.
        connections.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        shutdownGroups();
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
        return new DefaultThreadFactory(threadPrefix + "-" + role, true);
    }

    /** The address the socket is bound to, or null when not bound. */
    public synchronized InetSocketAddress localAddress() {
        return channel == null ? null : (InetSocketAddress) channel.localAddress();
    }
}
