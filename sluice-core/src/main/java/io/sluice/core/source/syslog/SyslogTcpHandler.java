package io.sluice.core.source.syslog;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.sluice.api.ChannelException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.TlsFailures;
import io.sluice.core.support.RateLimitedLog;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static java.util.Objects.requireNonNull;

/**
 * Turns the frames of one TCP connection into events and commits them in batches of up to
 * {@code batchSize} (or what one read delivered).
 *
 * <p>When the channels refuse a batch, the connection stops being read (TCP back-pressure on the
 * sender, through the connection's {@link ReadGate}, which also stops reading while this handler
 * is behind the event loop) and the batch is kept. Its retries (each of which may block for the channel's
 * {@code keep-alive}) run on the source's {@code retries} executor, after a growing pause (50 ms
 * doubling to 1 s), never on the connection's handler executor: that executor goes on serving the
 * other connections it carries while this one waits. Frames already decoded when reading stopped
 * are kept behind the waiting batch, in order. Once the waiting batch and those frames are
 * committed, reading resumes. A connection closed by its sender while it waits keeps its events
 * until they are committed; only when the source stops are waiting events dropped, counted in
 * {@code ChannelWriteFail} and logged.
 *
 * <p>One instance per connection. Its state is touched only on the connection's handler executor;
 * a retry on the {@code retries} executor reads only the immutable waiting batch and hands its
 * outcome back to the handler executor. Not sharable.
 */
final class SyslogTcpHandler extends ChannelInboundHandlerAdapter {
    static final long FIRST_RETRY_MILLIS = 50;
    static final long MAX_RETRY_MILLIS = 1000;

    private final SyslogParser parser;
    private final Charset charset;
    private final int batchSize;
    private final HeaderOptions options;
    private final Supplier<ChannelProcessor> processor;
    private final SourceCounter counter;
    private final BooleanSupplier running;
    private final RateLimitedLog log;
    private final String label;
    private final ScheduledExecutorService retries;
    private final ReadGate gate;
    /** Parsed events not yet offered to the channels. */
    private final List<Event> pending = new ArrayList<>();
    private Map<String, String> extra;
    /** The batch the channels refused, retried until committed; null when none waits. */
    private List<Event> waiting;
    private ScheduledFuture<?> retry;
    private long pauseMillis = FIRST_RETRY_MILLIS;
    private boolean tlsFailed;

    SyslogTcpHandler(SyslogParser parser, Charset charset, int batchSize, HeaderOptions options,
            Supplier<ChannelProcessor> processor, SourceCounter counter, BooleanSupplier running, RateLimitedLog log,
            String label, ScheduledExecutorService retries, ReadGate gate) {
        this.parser = requireNonNull(parser, "parser is null");
        this.charset = requireNonNull(charset, "charset is null");
        this.batchSize = batchSize;
        this.options = requireNonNull(options, "options is null");
        this.processor = requireNonNull(processor, "processor is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.running = requireNonNull(running, "running is null");
        this.log = requireNonNull(log, "log is null");
        this.label = requireNonNull(label, "label is null");
        this.retries = requireNonNull(retries, "retries is null");
        this.gate = requireNonNull(gate, "gate is null");
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        extra = options.headers((InetSocketAddress) ctx.channel().remoteAddress(),
                (InetSocketAddress) ctx.channel().localAddress());
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        Map<String, String> headers = extra == null ? Map.of() : extra;
        if (msg instanceof List<?> frames) { // one read's frames, from SyslogFrameBatcher
            long bytes = 0;
            for (Object f : frames) {
                SyslogFrame frame = (SyslogFrame) f;
                bytes += ReadGate.weight(frame.bytes().length);
                add(ctx, frame, headers);
            }
            gate.taken(bytes);
        } else {
            add(ctx, (SyslogFrame) msg, headers);
        }
    }

    private void add(ChannelHandlerContext ctx, SyslogFrame frame, Map<String, String> headers) {
        pending.add(parser.parse(frame.bytes(), frame.incomplete(), charset, headers));
        if (pending.size() >= batchSize) {
            commitPending(ctx);
        }
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        commitPending(ctx);
        ctx.fireChannelReadComplete();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!running.getAsBoolean()) {
            // The source stops: its executors end after the connections are closed, so a scheduled
            // retry would never run. Count what is left now.
            dropAtStop("the source stopped");
        } else {
            commitPending(ctx); // a waiting batch keeps being retried after the sender has gone
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        String tls = TlsFailures.reason(cause);
        if (tls == null) {
            log.warn("[{}] closing connection from {}: {}", label, ctx.channel().remoteAddress(), cause.toString());
        } else if (!tlsFailed) {
            // counted once: the TLS handler may report the same connection's failure again while it closes
            tlsFailed = true;
            counter.incrementEventReadFail();
            log.warn("[{}] closing connection from {}: it {}", label, ctx.channel().remoteAddress(), tls);
        }
        ctx.close();
    }

    /** Offers the pending events to the channels, unless a refused batch is still waiting (it goes first). */
    private void commitPending(ChannelHandlerContext ctx) {
        while (waiting == null && !pending.isEmpty()) {
            List<Event> batch = List.copyOf(pending.subList(0, Math.min(batchSize, pending.size())));
            pending.subList(0, batch.size()).clear();
            counter.incrementAppendBatchReceived();
            counter.addReceived(batch.size());
            if (!put(batch)) {
                waiting = batch;
                gate.refused(true);
                scheduleRetry(ctx);
            }
        }
    }

    private boolean put(List<Event> batch) {
        try {
            processor.get().processEventBatch(batch);
            counter.incrementAppendBatchAccepted();
            counter.addAccepted(batch.size());
            return true;
        } catch (ChannelException e) {
            counter.incrementChannelWriteFail();
            log.warn("[{}] the channel refused {} syslog event(s) ({}); reading this connection is paused and the"
                    + " batch is retried", label, batch.size(), e.getMessage());
            return false;
        }
    }

    private void scheduleRetry(ChannelHandlerContext ctx) {
        long pause = pauseMillis;
        pauseMillis = Math.min(pauseMillis * 2, MAX_RETRY_MILLIS);
        List<Event> batch = waiting;
        try {
            retry = retries.schedule(() -> {
                boolean committed = put(batch);
                try {
                    ctx.executor().execute(() -> retried(ctx, batch, committed));
                } catch (RejectedExecutionException e) {
                    // the source stopped while the put was running; channelInactive counted the rest
                }
            }, pause, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            dropAtStop("the source stopped while the channel was full");
        }
    }

    private void retried(ChannelHandlerContext ctx, List<Event> batch, boolean committed) {
        retry = null;
        if (waiting != batch) {
            return; // dropped at stop meanwhile
        }
        if (!committed) {
            if (running.getAsBoolean()) {
                scheduleRetry(ctx);
            } else {
                dropAtStop("the source stopped while the channel was full");
            }
            return;
        }
        waiting = null;
        pauseMillis = FIRST_RETRY_MILLIS;
        commitPending(ctx);
        if (waiting == null) {
            gate.refused(false);
        }
    }

    private void dropAtStop(String why) {
        if (retry != null) {
            retry.cancel(false);
            retry = null;
        }
        int lost = (waiting == null ? 0 : waiting.size()) + pending.size();
        if (lost > 0) {
            counter.incrementChannelWriteFail();
            log.warn("[{}] dropped {} syslog event(s) that the channel had refused: {}", label, lost, why);
        }
        waiting = null;
        pending.clear();
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
