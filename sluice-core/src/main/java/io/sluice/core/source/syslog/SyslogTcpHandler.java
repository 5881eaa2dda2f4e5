package io.sluice.core.source.syslog;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sluice.api.ChannelException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.support.RateLimitedLog;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Turns the frames of one TCP connection into events and commits them in batches of up to
 * {@code batchSize} (or what one read delivered). When the channels refuse a batch the connection
 * stops being read (TCP back-pressure on the sender) and the same batch is retried with a growing
 * pause until it is committed or the source stops; only then are the waiting events dropped, and
 * counted. Runs on one handler executor per connection; not shared between connections.
 */
final class SyslogTcpHandler extends ChannelInboundHandlerAdapter {
    private final SyslogParser parser;
    private final Charset charset;
    private final int batchSize;
    private final HeaderOptions options;
    private final Supplier<ChannelProcessor> processor;
    private final SourceCounter counter;
    private final BooleanSupplier running;
    private final RateLimitedLog log;
    private final String label;
    private final List<Event> pending = new ArrayList<>();
    private Map<String, String> extra;

    SyslogTcpHandler(SyslogParser parser, Charset charset, int batchSize, HeaderOptions options,
            Supplier<ChannelProcessor> processor, SourceCounter counter, BooleanSupplier running, RateLimitedLog log,
            String label) {
        this.parser = requireNonNull(parser, "parser is null");
        this.charset = requireNonNull(charset, "charset is null");
        this.batchSize = batchSize;
        this.options = requireNonNull(options, "options is null");
        this.processor = requireNonNull(processor, "processor is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.running = requireNonNull(running, "running is null");
        this.log = requireNonNull(log, "log is null");
        this.label = requireNonNull(label, "label is null");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        extra = options.headers((InetSocketAddress) ctx.channel().remoteAddress(),
                (InetSocketAddress) ctx.channel().localAddress());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        SyslogFrame frame = (SyslogFrame) msg;
        pending.add(parser.parse(frame.bytes(), frame.incomplete(), charset, extra == null ? Map.of() : extra));
        if (pending.size() >= batchSize) {
            commit(ctx);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        commit(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        commit(ctx);
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        log.warn("[{}] closing connection from {}: {}", label, ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }

    private void commit(ChannelHandlerContext ctx) {
        if (pending.isEmpty()) {
            return;
        }
        List<Event> batch = List.copyOf(pending);
        pending.clear();
        counter.incrementAppendBatchReceived();
        counter.addReceived(batch.size());
        long pause = 50;
        boolean pausedReading = false;
        try {
            while (true) {
                try {
                    processor.get().processEventBatch(batch);
                    counter.incrementAppendBatchAccepted();
                    counter.addAccepted(batch.size());
                    return;
                } catch (ChannelException e) {
                    counter.incrementChannelWriteFail();
                    if (!running.getAsBoolean()) {
                        log.warn("[{}] dropped {} syslog event(s) at stop: the channel refused them ({})", label,
                                batch.size(), e.getMessage());
                        return;
                    }
                    if (!pausedReading) {
                        ctx.channel().config().setAutoRead(false);
                        pausedReading = true;
                    }
                    log.warn("[{}] the channel refused {} syslog event(s) ({}); reading paused, retrying", label,
                            batch.size(), e.getMessage());
                    try {
                        TimeUnit.MILLISECONDS.sleep(pause);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        log.warn("[{}] dropped {} syslog event(s): interrupted while the channel was full", label,
                                batch.size());
                        return;
                    }
                    pause = Math.min(pause * 2, 1000);
                }
            }
        } finally {
            if (pausedReading) {
                ctx.channel().config().setAutoRead(true);
            }
        }
    }

    /** The optional client-address and port headers. Immutable. */
    record HeaderOptions(String clientIpHeader, String clientHostnameHeader, String portHeader) {
        Map<String, String> headers(InetSocketAddress remote, InetSocketAddress local) {
            Map<String, String> h = new LinkedHashMap<>();
            if (clientIpHeader != null && remote != null) {
                h.put(clientIpHeader, remote.getAddress().getHostAddress());
            }
            if (clientHostnameHeader != null && remote != null) {
                h.put(clientHostnameHeader, remote.getHostName());
            }
            if (portHeader != null && local != null) {
                h.put(portHeader, Integer.toString(local.getPort()));
            }
            return Map.copyOf(h);
        }
    }
}
