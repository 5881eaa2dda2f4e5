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
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.sdk.tls.TlsContexts;
import io.sluice.sdk.wire.AvroRpcProtocol;
import io.sluice.sdk.wire.Calls;
import io.sluice.sdk.wire.EventCodec;
import io.sluice.sdk.wire.Frame;
import io.sluice.sdk.wire.Frames;
import io.sluice.sdk.wire.Handshake;
import io.sluice.sdk.wire.TransportLayers;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code default} client: one connection to one avro source. Requests from many threads share
 * the connection and are matched to answers by serial. The connection is opened (TCP connect plus
 * one handshake round trip, within {@code connect-timeout}) on {@link #connect()} or the first
 * call, and re-opened by the next call after any failure or timeout.
 *
 * <p>Thread-safe: {@code connectLock} guards opening the connection; requests in flight live in a
 * concurrent map per connection.
 */
public final class NettyRpcClient implements RpcClient {
    private static final Logger LOG = LoggerFactory.getLogger(NettyRpcClient.class);
    /** Answers are small; anything larger than this from a server is refused. */
    private static final long MAX_RESPONSE_FRAME = 16L << 20;
    /** Batches of one call sent before the first answer is awaited. */
    private static final int MAX_IN_FLIGHT = 8;

    private final RpcClientConfig config;
    private final HostInfo host;
    private final EventLoopGroup group;
    private final SslContext sslContext;
    private final Object connectLock = new Object();
    private volatile Connection connection;
    private volatile boolean closed;

    public NettyRpcClient(RpcClientConfig config) {
        this.config = requireNonNull(config, "config is null");
        this.host = config.hosts().get(0);
        this.sslContext = config.ssl() ? TlsContexts.forClient(config.trustAllCerts(), config.truststore(),
                config.truststorePassword(), config.truststoreType(), config.tlsFilters()) : null;
        this.group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("sluice-rpc-" + host.name(), true),
                NioIoHandler.newFactory());
    }

    /** Opens the connection now, so an unreachable agent is reported at once. */
    public void connect() throws EventDeliveryException {
        ensureConnection();
    }

    public HostInfo host() {
        return host;
    }

    @Override
    public int getBatchSize() {
        return config.batchSize();
    }

    @Override
    public void append(Event event) throws EventDeliveryException {
        requireNonNull(event, "event is null");
        Connection c = ensureConnection();
        ByteBuf buf = Frames.start(ByteBufAllocator.DEFAULT, EventCodec.estimateSize(event) + 16);
        Calls.writeRequestHeader(buf, AvroRpcProtocol.APPEND);
        EventCodec.writeEvent(buf, event);
        await(c, c.send(buf, false), 1);
    }

    @Override
    public void appendBatch(List<Event> events) throws EventDeliveryException {
        requireNonNull(events, "events is null");
        if (events.isEmpty()) {
            return;
        }
        Connection c = ensureConnection();
        int batch = config.batchSize();
        if (events.size() <= batch) {
            await(c, c.send(encodeBatch(events, 0, events.size()), false), events.size());
            return;
        }
        // Longer lists go out as back-to-back batches on the connection, at most MAX_IN_FLIGHT
        // unanswered at a time, each awaited in order.
        ArrayDeque<CompletableFuture<Calls.Result>> sent = new ArrayDeque<>();
        ArrayDeque<Integer> sizes = new ArrayDeque<>();
        for (int from = 0; from < events.size(); from += batch) {
            int to = Math.min(events.size(), from + batch);
            if (sent.size() == MAX_IN_FLIGHT) {
                await(c, sent.poll(), sizes.poll());
            }
            sent.add(c.send(encodeBatch(events, from, to), false));
            sizes.add(to - from);
        }
        while (!sent.isEmpty()) {
            await(c, sent.poll(), sizes.poll());
        }
    }

    private static ByteBuf encodeBatch(List<Event> events, int from, int to) {
        int estimate = 24;
        for (int i = from; i < to; i++) {
            estimate += EventCodec.estimateSize(events.get(i));
        }
        ByteBuf buf = Frames.start(ByteBufAllocator.DEFAULT, estimate);
        Calls.writeRequestHeader(buf, AvroRpcProtocol.APPEND_BATCH);
        EventCodec.writeBatch(buf, events, from, to);
        return buf;
    }

    private void await(Connection c, CompletableFuture<Calls.Result> future, int events)
            throws EventDeliveryException {
        Calls.Result r;
        try {
            r = future.get(config.requestTimeoutMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            c.close("no answer within request-timeout");
            throw new EventDeliveryException("agent at " + host.address() + " did not answer a batch of " + events
                    + " event(s) within request-timeout " + config.requestTimeoutMillis() + " ms");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close("interrupted");
            throw new EventDeliveryException("interrupted while waiting for " + host.address(), e);
        } catch (ExecutionException e) {
            c.close("send failed");
            throw new EventDeliveryException("sending to " + host.address() + " failed: " + e.getCause().getMessage(),
                    e.getCause());
        }
        if (r.error() != null) {
            throw new EventDeliveryException("agent at " + host.address() + " answered with an error: " + r.error());
        }
        if (r.status() != AvroRpcProtocol.STATUS_OK) {
            throw new BatchRefusedException(host.address(), AvroRpcProtocol.statusName(r.status()), events);
        }
    }

    private Connection ensureConnection() throws EventDeliveryException {
        Connection c = connection;
        if (c != null && c.channel.isActive()) {
            return c;
        }
        synchronized (connectLock) {
            if (closed) {
                throw new EventDeliveryException("client for " + host.address() + " is closed");
            }
            c = connection;
            if (c != null && c.channel.isActive()) {
                return c;
            }
            connection = null;
            c = open();
            connection = c;
            return c;
        }
    }

    private Connection open() throws EventDeliveryException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(config.connectTimeoutMillis());
        Connection conn = new Connection();
        Bootstrap b = new Bootstrap().group(group).channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) Math.min(Integer.MAX_VALUE, config.connectTimeoutMillis()))
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        TransportLayers.add(ch.pipeline(), ch.alloc(), sslContext, host.host(), host.port(),
                                config.deflate(), config.compressionLevel(), MAX_RESPONSE_FRAME);
                        ch.pipeline().addLast("rpc", conn);
                    }
                });
        ChannelFuture cf = b.connect(host.host(), host.port());
        try {
            if (!cf.await(config.connectTimeoutMillis() + 1000)) {
                cf.cancel(true);
                throw new EventDeliveryException("cannot connect to " + host.address() + " within connect-timeout "
                        + config.connectTimeoutMillis() + " ms");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            cf.cancel(true);
            throw new EventDeliveryException("interrupted while connecting to " + host.address(), e);
        }
        if (!cf.isSuccess()) {
            throw new EventDeliveryException("cannot connect to " + host.address() + ": "
                    + describe(cf.cause()), cf.cause());
        }
        conn.channel = cf.channel();
        ByteBuf ping = Frames.start(ByteBufAllocator.DEFAULT, AvroRpcProtocol.TEXT.length() + 64);
        Handshake.writeRequest(ping);
        Calls.writeRequestHeader(ping, "");
        CompletableFuture<Calls.Result> hs = conn.send(ping, true);
        try {
            long left = Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime()));
            Calls.Result r = hs.get(Math.max(left, 1000), TimeUnit.MILLISECONDS);
            if (r.status() == Handshake.MATCH_NONE) {
                conn.close("handshake refused");
                throw new EventDeliveryException("agent at " + host.address()
                        + " did not accept the AvroSourceProtocol handshake");
            }
        } catch (TimeoutException e) {
            conn.close("handshake timeout");
            throw new EventDeliveryException("agent at " + host.address() + " did not complete the handshake within "
                    + "connect-timeout " + config.connectTimeoutMillis() + " ms (is it an avro source? do ssl and "
                    + "compression-type match?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            conn.close("interrupted");
            throw new EventDeliveryException("interrupted during the handshake with " + host.address(), e);
        } catch (ExecutionException e) {
            conn.close("handshake failed");
            throw new EventDeliveryException("handshake with " + host.address() + " failed: "
                    + describe(e.getCause()) + " (do ssl and compression-type match the source?)", e.getCause());
        }
        LOG.debug("Connected to {}", host.address());
        return conn;
    }

    /** A failure's message for error texts, or its class name when it has none (shared with the thrift client). */
    static String describe(Throwable t) {
        if (t == null) {
            return "unknown cause";
        }
        String m = t.getMessage();
        return m == null ? t.getClass().getSimpleName() : m;
    }

    @Override
    public boolean isActive() {
        return !closed;
    }

    @Override
    public void close() {
        synchronized (connectLock) {
            if (closed) {
                return;
            }
            closed = true;
            Connection c = connection;
            if (c != null) {
                c.close("client closed");
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @Override
    public String toString() {
        return "NettyRpcClient[" + host.address() + "]";
    }

    /** One connection: the channel, its serials and the requests waiting for an answer. */
    private final class Connection extends SimpleChannelInboundHandler<Frame> {
        private final Map<Integer, Pending> pending = new ConcurrentHashMap<>();
        private final AtomicInteger serials = new AtomicInteger();
        private volatile Channel channel;
        private volatile String closeReason;

        CompletableFuture<Calls.Result> send(ByteBuf buf, boolean handshake) {
            int serial = serials.incrementAndGet();
            Pending p = new Pending(handshake);
            pending.put(serial, p);
            Channel ch = channel;
            ch.writeAndFlush(Frames.finish(buf, serial)).addListener(f -> {
                if (!f.isSuccess()) {
                    Pending gone = pending.remove(serial);
                    if (gone != null) {
                        gone.future.completeExceptionally(f.cause());
                    }
                }
            });
            if (!ch.isActive()) {
                Pending gone = pending.remove(serial);
                if (gone != null) {
                    gone.future.completeExceptionally(new IOException("connection to " + host.address()
                            + " is closed" + (closeReason == null ? "" : " (" + closeReason + ")")));
                }
            }
            return p.future;
        }

        void close(String reason) {
            if (closeReason == null) {
                closeReason = reason;
            }
            Channel ch = channel;
            if (ch != null) {
                ch.close();
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Frame frame) {
            Pending p = pending.remove(frame.serial());
            if (p == null) {
                LOG.warn("Answer from {} with unknown serial {}; ignored", host.address(), frame.serial());
                return;
            }
            try {
                if (p.handshake) {
                    Handshake.Response r = Handshake.readResponse(frame.payload());
                    p.future.complete(new Calls.Result(r.match(), null));
                } else {
                    p.future.complete(Calls.readResult(frame.payload()));
                }
            } catch (RuntimeException e) {
                p.future.completeExceptionally(e);
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            failAll(new IOException("connection to " + host.address() + " closed"
                    + (closeReason == null ? " by the agent" : " (" + closeReason + ")")));
            super.channelInactive(ctx);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.debug("Connection to {} failed", host.address(), cause);
            failAll(cause);
            ctx.close();
        }

        private void failAll(Throwable cause) {
            for (Integer serial : pending.keySet()) {
                Pending p = pending.remove(serial);
                if (p != null) {
                    p.future.completeExceptionally(cause);
                }
            }
        }
    }

    private static final class Pending {
        final boolean handshake;
        final CompletableFuture<Calls.Result> future = new CompletableFuture<>();

        Pending(boolean handshake) {
            this.handshake = handshake;
        }
    }
}
