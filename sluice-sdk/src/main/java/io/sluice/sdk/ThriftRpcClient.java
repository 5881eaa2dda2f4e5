package io.sluice.sdk;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;
import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.sdk.thrift.ThriftFrameDecoder;
import io.sluice.sdk.thrift.ThriftMessages;
import io.sluice.sdk.thrift.ThriftProtocol;
import io.sluice.sdk.tls.TlsContexts;
import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code thrift} client: sends to one agent's thrift source (Apache Flume's
 * {@code ThriftSourceProtocol}, framed transport, the compact or binary protocol of
 * {@code protocol}). Thrift answers the calls of a connection one by one, so each call takes a
 * connection of its own from a pool of at most {@code maxConnections}; connections are opened on
 * demand (TCP connect, and the TLS handshake with {@code ssl}, within {@code connect-timeout}) and
 * kept for the next call. A list longer than {@code batch-size} goes out as consecutive
 * {@code appendBatch} calls on the same connection, each answered before the next is sent. A
 * connection that failed, timed out or answered garbage is closed; one that answered
 * {@code FAILED} is kept.
 *
 * <p>Thread-safe: the pool is a semaphore over a concurrent deque; a connection is used by one
 * caller at a time.
 */
public final class ThriftRpcClient implements RpcClient {
    private static final Logger LOG = LoggerFactory.getLogger(ThriftRpcClient.class);
    /** Answers are a few bytes; anything larger than this from a server is refused. */
    private static final long MAX_RESPONSE_FRAME = 1L << 20;

    private final RpcClientConfig config;
    private final HostInfo host;
    private final ThriftProtocol protocol;
    private final EventLoopGroup group;
    private final SslContext sslContext;
    private final Semaphore permits;
    private final ConcurrentLinkedDeque<Connection> idle = new ConcurrentLinkedDeque<>();
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger seqids = new AtomicInteger();
    private volatile boolean closed;

    public ThriftRpcClient(RpcClientConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.host = config.hosts().get(0);
        this.protocol = config.thriftProtocol();
        this.sslContext = config.ssl() ? TlsContexts.forClient(config.trustAllCerts(), config.truststore(),
                config.truststorePassword(), config.truststoreType(), config.tlsFilters()) : null;
        this.permits = new Semaphore(config.maxConnections(), true);
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sluice-thrift-" + host.name(), true),
                NioIoHandler.newFactory());
    }

    public HostInfo host() {
        return host;
    }

    /** Opens one connection now (kept for the next call), so an unreachable agent is reported at once. */
    public void connect() throws EventDeliveryException {
        Connection c = checkout();
        checkin(c);
    }

    @Override
    public int getBatchSize() {
        return config.batchSize();
    }

    @Override
    public void append(Event event) throws EventDeliveryException {
        requireNonNull(event, "event is null");
        Connection c = checkout();
        boolean keep = false;
        try {
            int seqid = seqids.incrementAndGet();
            ByteBuf frame = ThriftMessages.startFrame(ByteBufAllocator.DEFAULT, ThriftMessages.estimateSize(event));
            ThriftMessages.writeAppend(frame, protocol, seqid, event);
            keep = exchange(c, frame, ThriftMessages.APPEND, seqid, 1);
        } finally {
            release(c, keep);
        }
    }

    @Override
    public void appendBatch(List<Event> events) throws EventDeliveryException {
        requireNonNull(events, "events is null");
        if (events.isEmpty()) {
            return;
        }
        Connection c = checkout();
        boolean keep = false;
        try {
            int batch = config.batchSize();
            for (int from = 0; from < events.size(); from += batch) {
                int to = Math.min(events.size(), from + batch);
                int estimate = 16;
                for (int i = from; i < to; i++) {
                    estimate += ThriftMessages.estimateSize(events.get(i));
                }
                int seqid = seqids.incrementAndGet();
                ByteBuf frame = ThriftMessages.startFrame(ByteBufAllocator.DEFAULT, estimate);
                ThriftMessages.writeAppendBatch(frame, protocol, seqid, events, from, to);
                keep = exchange(c, frame, ThriftMessages.APPEND_BATCH, seqid, to - from);
            }
        } finally {
            release(c, keep);
        }
    }

    /**
     * Sends one call and waits for its reply. Returns true (keep the connection) on {@code OK};
     * on another status the connection goes back to the pool and {@link BatchRefusedException} is
     * thrown; on any other failure the caller closes the connection.
     */
    private boolean exchange(Connection c, ByteBuf frame, String method, int seqid, int events)
            throws EventDeliveryException {
        ThriftMessages.Reply r;
        try {
            r = c.call(ThriftMessages.finishFrame(frame), method, seqid)
                    .get(config.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new EventDeliveryException("agent at " + host.address() + " did not answer " + method + " of "
                    + events + " event(s) within request-timeout " + config.requestTimeoutMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventDeliveryException("interrupted while waiting for " + host.address(), e);
        } catch (ExecutionException e) {
            throw new EventDeliveryException("sending to " + host.address() + " failed: "
                    + NettyRpcClient.describe(e.getCause()) + " (is it a thrift source? do ssl and protocol match?)", e.getCause());
        }
        if (r.error() != null) {
            throw new EventDeliveryException("agent at " + host.address() + " answered " + method + " with an error: "
                    + r.error());
        }
        if (r.status() != ThriftMessages.STATUS_OK) {
            release(c, true);
            throw new BatchRefusedException(host.address(), ThriftMessages.statusName(r.status()), events);
        }
        return true;
    }

    private Connection checkout() throws EventDeliveryException {
        if (closed) {
            throw new EventDeliveryException("client for " + host.address() + " is closed");
        }
        try {
            if (!permits.tryAcquire(config.requestTimeoutMillis(), TimeUnit.MILLISECONDS)) {
                throw new EventDeliveryException("all " + config.maxConnections() + " connections to "
                        + host.address() + " stayed busy for request-timeout " + config.requestTimeoutMillis()
                        + " ms (raise maxConnections for more concurrent callers)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EventDeliveryException("interrupted while waiting for a connection to " + host.address(), e);
        }
        try {
            for (Connection c = idle.pollFirst(); c != null; c = idle.pollFirst()) {
                if (c.channel.isActive()) {
                    c.released = false;
                    return c;
                }
                c.close();
            }
            Connection c = open();
            if (closed) {
                c.close();
                throw new EventDeliveryException("client for " + host.address() + " is closed");
            }
            return c;
        } catch (EventDeliveryException | RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    private void checkin(Connection c) {
        release(c, true);
    }

    /** Returns the connection to the pool (kept) or closes it; a second release of the same checkout is ignored. */
    private void release(Connection c, boolean keep) {
        if (c.released) {
            return;
        }
        c.released = true;
        if (keep && !closed && c.channel.isActive()) {
            idle.addFirst(c);
        } else {
            c.close();
        }
        permits.release();
    }

    private Connection open() throws EventDeliveryException {
        Connection conn = new Connection();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS,
                        (int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (sslContext != null) {
                            ch.pipeline().addLast("tls", sslContext.newHandler(ch.alloc(), host.host(), host.port()));
                        }
                        ch.pipeline().addLast("frames", new ThriftFrameDecoder(MAX_RESPONSE_FRAME));
                        ch.pipeline().addLast("rpc", conn);
                    }
                });
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.connectTimeoutMillis());
        ChannelFuture cf = b.connect(host.host(), host.port());
        awaitConnect(cf, deadline, "connect");
        if (!cf.isSuccess()) {
            throw new EventDeliveryException("cannot connect to " + host.address() + ": " + NettyRpcClient.describe(cf.cause()),
                    cf.cause());
        }
        conn.channel = cf.channel();
        open.add(conn);
        conn.channel.closeFuture().addListener(f -> open.remove(conn));
        SslHandler tls = conn.channel.pipeline().get(SslHandler.class);
        if (tls != null) {
            Future<Channel> hs = tls.handshakeFuture();
            awaitConnect(hs, deadline, "complete the TLS handshake");
            if (!hs.isSuccess()) {
                conn.close();
                throw new EventDeliveryException("TLS handshake with " + host.address() + " failed: "
                        + NettyRpcClient.describe(hs.cause()) + " (is ssl on at the source? does the truststore hold its"
                        + " certificate?)", hs.cause());
            }
        }
        LOG.debug("Connected to {} ({} protocol)", host.address(), protocol.key());
        return conn;
    }

    private void awaitConnect(Future<?> f, long deadline, String what) throws EventDeliveryException {
        try {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            if (!f.await(left + 1000)) {
                f.cancel(true);
                throw new EventDeliveryException("cannot " + what + " with " + host.address()
                        + " within connect-timeout " + config.connectTimeoutMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(true);
            throw new EventDeliveryException("interrupted while connecting to " + host.address(), e);
        }
    }

    @Override
    public boolean isActive() {
        return !closed;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Connection c : open) {
            c.close();
        }
        idle.clear();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public String toString() {
        return "ThriftRpcClient[" + host.address() + " " + protocol.key() + "]";
    }

    /** One connection and the call it waits on (at most one at a time). */
    private final class Connection extends SimpleChannelInboundHandler<ByteBuf> {
        private volatile Channel channel;
        private volatile Pending pending;
        /** Whether the current checkout has been released; touched by the caller holding it only. */
        private boolean released;

        CompletableFuture<ThriftMessages.Reply> call(ByteBuf frame, String method, int seqid) {
            Pending p = new Pending(method, seqid);
            pending = p;
            channel.writeAndFlush(frame).addListener(f -> {
                if (!f.isSuccess()) {
                    p.future.completeExceptionally(f.cause());
                }
            });
            if (!channel.isActive()) {
                p.future.completeExceptionally(new IOException("connection to " + host.address() + " is closed"));
            }
            return p.future;
        }

        void close() {
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, ByteBuf message) {
            Pending p = pending;
            pending = null;
            if (p == null) {
                LOG.warn("Unexpected message from {} with no call waiting; closing the connection", host.address());
                ctx.close();
                return;
            }
            try {
                p.future.complete(ThriftMessages.readReply(message, protocol, p.method, p.seqid));
            } catch (RuntimeException e) {
                p.future.completeExceptionally(e);
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            Pending p = pending;
            if (p != null) {
                p.future.completeExceptionally(new IOException("connection closed by the agent before it answered"));
            }
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Pending p = pending;
            if (p != null) {
                p.future.completeExceptionally(cause);
            }
            ctx.close();
        }
    }

    private record Pending(String method, int seqid, CompletableFuture<ThriftMessages.Reply> future) {
        Pending(String method, int seqid) {
            this(method, seqid, new CompletableFuture<>());
        }
    }
}
