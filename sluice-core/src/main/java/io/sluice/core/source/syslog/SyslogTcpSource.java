package io.sluice.core.source.syslog;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelOption;
import io.netty.handler.ssl.SslContext;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.sluice.api.BatchSizeAware;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.ConnectionLimiter;
import io.sluice.core.source.support.ConnectionTimeouts;
import io.sluice.core.source.support.NettyServer;
import io.sluice.core.source.support.RejectedInput;
import io.sluice.core.support.AbstractSource;
import io.sluice.core.support.RateLimitedLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.Charset;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code syslogtcp} and {@code multiport_syslogtcp} sources: listen on one or several TCP
 * ports, cut each connection's bytes into syslog messages ({@link SyslogFrameDecoder}: newline
 * framing or RFC 6587 octet counting), parse them ({@link SyslogParser}) and commit them in
 * batches. A full channel pauses reading the connection until the batch is committed, so the
 * sender is held back instead of events being dropped, and so does parsing that falls behind the
 * reading (at most {@value ReadGate#HIGH_BYTES} bytes of messages wait between them, see
 * {@link ReadGate}); the refused batch is retried on a thread of
 * its own, so the other connections go on being served meanwhile (see {@link SyslogTcpHandler}).
 *
 * <p>Every connection has the source's {@link Limits}: at most {@code maxConnections} are open
 * across all ports (more are closed when accepted, {@value ConnectionLimiter#REFUSED}); one that
 * sends nothing for {@code idleTimeout}, or holds an unfinished message for {@code readTimeout},
 * is closed ({@value ConnectionTimeouts#TIMED_OUT}) and the unfinished bytes are counted as a read
 * failure.
 *
 * <p>Thread-safe: start and stop are synchronised; connections run on Netty's threads.
 */
public final class SyslogTcpSource extends AbstractSource implements EventDrivenSource, BatchSizeAware, DeadLetterAware {
    private static final Logger LOG = LoggerFactory.getLogger(SyslogTcpSource.class);

    /** Everything a TCP syslog source is configured with. Immutable. */
    record Settings(InetAddress host, List<Integer> ports, Charset defaultCharset, Map<Integer, Charset> portCharsets,
            int eventSize, int batchSize, int ioThreads, int readBufferSize, KeepFields keepFields,
            SyslogTcpHandler.HeaderOptions headers, Limits limits, Optional<SslContext> tls) {
        Settings {
            requireNonNull(host, "host is null");
            ports = List.copyOf(ports);
            requireNonNull(defaultCharset, "defaultCharset is null");
            portCharsets = Map.copyOf(portCharsets);
            requireNonNull(keepFields, "keepFields is null");
            requireNonNull(headers, "headers is null");
            requireNonNull(limits, "limits is null");
            requireNonNull(tls, "tls is null");
        }
    }

    /** The timeouts and the connection limit of one source. Immutable. */
    record Limits(long idleTimeoutMillis, long readTimeoutMillis, int maxConnections) {
        Limits {
            if (idleTimeoutMillis < 1 || readTimeoutMillis < 1 || maxConnections < 1) {
                throw new IllegalArgumentException("idleTimeout: " + idleTimeoutMillis + ", readTimeout: "
                        + readTimeoutMillis + ", maxConnections: " + maxConnections + " (expected: all > 0)");
            }
        }
    }

    private final String label;
    private final String type;
    private final Settings settings;
    private final SourceCounter counter;
    private final RejectedInput rejected;
    private final InvalidMessages invalid;
    private final Clock clock;
    private final RateLimitedLog log;
    private final List<NettyServer> servers = new ArrayList<>();
    /** Runs the retries of batches the channels refused, off the connections' executors. */
    private ScheduledExecutorService retries;
    private volatile boolean running;

    SyslogTcpSource(String name, String label, String type, Settings settings, SourceCounter counter, Clock clock) {
        super(name);
        this.label = requireNonNull(label, "label is null");
        this.type = requireNonNull(type, "type is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.rejected = new RejectedInput(label, counter);
        this.invalid = new InvalidMessages(this::getChannelProcessor, rejected);
        this.clock = requireNonNull(clock, "clock is null");
        this.log = new RateLimitedLog(LOG, 5000, clock);
    }

    /** The most events one transaction carries, checked by the agent against the channels' transactionCapacity. */
    @Override
    public int batchSize() {
        return settings.batchSize();
    }

    /** Invalid messages go to this channel instead of the source's channels (see {@link InvalidMessages}). */
    @Override
    public void setDeadLetters(DeadLetters deadLetters) {
        rejected.setDeadLetters(deadLetters);
    }

    @Override
    protected void doStart() {
        getChannelProcessor();
        running = true;
        SyslogParser parser = new SyslogParser(settings.keepFields(), clock, ZoneId.systemDefault());
        Limits limits = settings.limits();
        // One limiter for all ports: maxConnections is the source's, as its OpenConnectionCount is.
        ConnectionLimiter limiter = new ConnectionLimiter(label, limits.maxConnections(), counter, log);
        ScheduledExecutorService retryExecutor = Executors.newSingleThreadScheduledExecutor(
                new DefaultThreadFactory(type + "-" + name() + "-retry", true));
        retries = retryExecutor;
        try {
            for (int port : settings.ports()) {
                Charset charset = settings.portCharsets().getOrDefault(port, settings.defaultCharset());
                NettyServer server = new NettyServer(label, type + "-" + name() + "-" + port);
                InetSocketAddress at = server.bindTcp(settings.host(), port, settings.ioThreads(), 2,
                        b -> b.childOption(ChannelOption.RCVBUF_ALLOCATOR,
                                new AdaptiveRecvByteBufAllocator(64, settings.readBufferSize(), 65536)),
                        (ch, handlers) -> {
                            // Syslog has no answer to send: a late message just closes the connection.
                            ConnectionTimeouts timeouts = new ConnectionTimeouts(label, limits.idleTimeoutMillis(),
                                    limits.readTimeoutMillis(), counter, log, ctx -> ctx.close());
                            ch.pipeline().addLast("limit", limiter);
                            settings.tls().ifPresent(tls -> ch.pipeline().addLast("tls", tls.newHandler(ch.alloc())));
                            ch.pipeline().addLast("timeouts", timeouts);
                            ch.pipeline().addLast("frames", new SyslogFrameDecoder(settings.eventSize(),
                                    timeouts::progress, dropped -> partialDropped(ch.remoteAddress(), dropped)));
                            ReadGate gate = new ReadGate(ch);
                            ch.pipeline().addLast("batch", new SyslogFrameBatcher(gate));
                            ch.pipeline().addLast(handlers, "events", new SyslogTcpHandler(parser, charset,
                                    settings.batchSize(), settings.headers(), () -> invalid, counter,
                                    () -> running, log, label, retryExecutor, gate));
                        });
                servers.add(server);
                LOG.info("[{}] {} source listening on {}{}", label, type, at,
                        settings.tls().isPresent() ? " (TLS)" : "");
            }
        } catch (RuntimeException e) {
            running = false;
            stopServers();
            throw e;
        }
        counter.markStarted(clock.millis());
    }

    @Override
    protected void doStop() {
        running = false;
        stopServers();
        counter.setOpenConnections(0);
        counter.markStopped(clock.millis());
        LOG.info("[{}] {} source stopped", label, type);
    }

    private void partialDropped(InetSocketAddress from, int bytes) {
        counter.incrementEventReadFail();
        log.warn("[{}] the connection from {} closed in the middle of a message: {} bytes were not delivered;"
                + " end every message with \\n or send it octet-counted (LENGTH SP MESSAGE)", label, from, bytes);
    }

    private void stopServers() {
        for (NettyServer s : servers) {
            s.stop();
        }
        servers.clear();
        if (retries != null) {
            retries.shutdownNow();
            retries = null;
        }
    }

    /** The bound addresses, in the order of the ports; empty when stopped. */
    public List<InetSocketAddress> localAddresses() {
        return servers.stream().map(NettyServer::localAddress).toList();
    }
}
