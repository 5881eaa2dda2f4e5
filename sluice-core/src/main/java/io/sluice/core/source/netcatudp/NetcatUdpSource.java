package io.sluice.core.source.netcatudp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.NettyServer;
import io.sluice.core.support.AbstractSource;
import io.sluice.core.support.RateLimitedLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Receives UDP datagrams on {@code bind:port}. Each {@code \n}-terminated line of a datagram (or
 * the whole datagram when it has no newline) becomes one event; the lines of one datagram are
 * committed as one batch. When {@code remoteAddressHeader} is set, the sender's IP address is put
 * into that header.
 *
 * <p>Thread-safe: start and stop are synchronised; datagrams run on Netty's threads.
 */
public final class NetcatUdpSource extends AbstractSource implements EventDrivenSource {
    private static final Logger LOG = LoggerFactory.getLogger(NetcatUdpSource.class);
    /** Largest datagram accepted; bigger ones are truncated by the kernel to this size. */
    static final int MAX_DATAGRAM = 65_535;

    private final String logName;
    private final InetAddress bind;
    private final int port;
    private final String remoteAddressHeader;
    private final SourceCounter counter;
    private final Clock clock;
    private final RateLimitedLog rejectLog;
    private final NettyServer server;

    NetcatUdpSource(String name, String logName, InetAddress bind, int port, String remoteAddressHeader,
            SourceCounter counter, Clock clock) {
        super(name);
        this.logName = requireNonNull(logName, "logName is null");
        this.bind = requireNonNull(bind, "bind is null");
        this.port = port;
        this.remoteAddressHeader = remoteAddressHeader;
        this.counter = requireNonNull(counter, "counter is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.rejectLog = new RateLimitedLog(LOG, 5000, clock);
        this.server = new NettyServer(logName, "netcatudp-" + name);
    }

    @Override
    protected void doStart() {
        getChannelProcessor(); // fails clearly when the agent has not set it yet
        InetSocketAddress at = server.bindUdp(bind, port, 1,
                b -> b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM)),
                (ch, handlers) -> ch.pipeline().addLast(handlers, "events", new DatagramHandler()));
        counter.markStarted(clock.millis());
        LOG.info("[{}] netcatudp source listening on {}", logName, at);
    }

    @Override
    protected void doStop() {
        server.stop();
        counter.markStopped(clock.millis());
    }

    /** The address the socket is bound to, or null when stopped. */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }

    /** Splits datagrams into line events and commits them. Runs on the handler executor. */
    private final class DatagramHandler extends SimpleChannelInboundHandler<DatagramPacket> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
            Map<String, String> headers = remoteAddressHeader == null ? Map.of()
                    : Map.of(remoteAddressHeader, packet.sender().getAddress().getHostAddress());
            List<Event> events = lines(packet.content(), headers);
            if (events.isEmpty()) {
                return;
            }
            counter.incrementAppendBatchReceived();
            counter.addReceived(events.size());
            try {
                getChannelProcessor().processEventBatch(events);
            } catch (ChannelException e) {
                counter.incrementChannelWriteFail();
                rejectLog.warn("[{}] the channel refused {} events from {} and UDP cannot ask the sender to retry;"
                        + " they are lost: {}", logName, events.size(), packet.sender(), e.getMessage());
                return;
            } catch (RuntimeException e) {
                counter.incrementGenericProcessingFail();
                rejectLog.warn("[{}] could not process a datagram from {}; its {} events are lost", logName,
                        packet.sender(), events.size(), e);
                return;
            }
            counter.incrementAppendBatchAccepted();
            counter.addAccepted(events.size());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            counter.incrementGenericProcessingFail();
            rejectLog.warn("[{}] UDP receive failed", logName, cause);
        }
    }

    static List<Event> lines(ByteBuf content, Map<String, String> headers) {
        List<Event> events = new ArrayList<>(1);
        int start = content.readerIndex();
        int end = content.writerIndex();
        int lineStart = start;
        for (int i = start; i < end; i++) {
            if (content.getByte(i) == '\n') {
                events.add(Event.wrap(headers, ByteBufUtil.getBytes(content, lineStart, i - lineStart)));
                lineStart = i + 1;
            }
        }
        if (lineStart < end) {
            events.add(Event.wrap(headers, ByteBufUtil.getBytes(content, lineStart, end - lineStart)));
        }
        return events;
    }
}
