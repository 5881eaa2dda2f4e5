package io.sluice.core.source.syslog;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.sluice.api.ChannelException;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.deadletter.DeadLetterAware;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.NettyServer;
import io.sluice.core.source.support.RejectedInput;
import io.sluice.core.support.AbstractSource;
import io.sluice.core.support.RateLimitedLog;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The {@code syslogudp} source: every datagram on {@code host:port} is one syslog message (up to
 * its first newline), parsed by {@link SyslogParser} and committed on its own. UDP has no way to
 * hold a sender back, so a message the channel refuses is dropped, counted in
 * {@code ChannelWriteFail} and logged (rate-limited), as in Apache Flume. While the parsing and
 * the channel puts are behind the reading by more than {@value ReadGate#HIGH_BYTES} bytes of
 * messages (see {@link ReadGate}), the socket is not read: datagrams beyond the kernel's receive
 * buffer are then dropped by the kernel instead of piling up in the agent's memory.
 *
 * <p>Thread-safe: start and stop are synchronised; datagrams are handled on Netty's threads.
 */
public final class SyslogUdpSource extends AbstractSource implements EventDrivenSource, DeadLetterAware {
    private static final Logger LOG = LoggerFactory.getLogger(SyslogUdpSource.class);
    /** The largest UDP payload. */
    private static final int MAX_DATAGRAM = 65536;

    private final String label;
    private final InetAddress host;
    private final int port;
    private final KeepFields keepFields;
    private final SyslogTcpHandler.HeaderOptions headers;
    private final SourceCounter counter;
    private final RejectedInput rejected;
    private final InvalidMessages invalid;
    private final Clock clock;
    private final RateLimitedLog log;
    private final NettyServer server;

    SyslogUdpSource(String name, String label, InetAddress host, int port, KeepFields keepFields,
            SyslogTcpHandler.HeaderOptions headers, SourceCounter counter, Clock clock) {
        super(name);
        this.label = requireNonNull(label, "label is null");
        this.host = requireNonNull(host, "host is null");
        this.port = port;
        this.keepFields = requireNonNull(keepFields, "keepFields is null");
        this.headers = requireNonNull(headers, "headers is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.rejected = new RejectedInput(label, counter);
        this.invalid = new InvalidMessages(this::getChannelProcessor, rejected);
        this.clock = requireNonNull(clock, "clock is null");
        this.log = new RateLimitedLog(LOG, 5000, clock);
        this.server = new NettyServer(label, "syslogudp-" + name);
    }

    /** Invalid messages go to this channel instead of the source's channels (see {@link InvalidMessages}). */
    @Override
    public void setDeadLetters(DeadLetters deadLetters) {
        rejected.setDeadLetters(deadLetters);
    }

    @Override
    protected void doStart() {
        getChannelProcessor();
        SyslogParser parser = new SyslogParser(keepFields, clock, ZoneId.systemDefault());
        InetSocketAddress at = server.bindUdp(host, port, 1,
                b -> b.option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM)),
                (ch, handlers) -> {
                    ReadGate gate = new ReadGate(ch);
                    // On the event loop: copy the message out of the receive buffer at once, so a
                    // waiting datagram holds its bytes and not a 64 KiB buffer.
                    ch.pipeline().addLast("copy", new SimpleChannelInboundHandler<DatagramPacket>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                            Datagram d = new Datagram(message(packet.content()), packet.sender(), packet.recipient());
                            gate.handedOver(ReadGate.weight(d.bytes().length));
                            ctx.fireChannelRead(d);
                        }
                    });
                    ch.pipeline().addLast(handlers, "events", new SimpleChannelInboundHandler<Datagram>() {
                        @Override
                        protected void channelRead0(ChannelHandlerContext ctx, Datagram d) {
                            try {
                                receive(parser, d);
                            } finally {
                                gate.taken(ReadGate.weight(d.bytes().length));
                            }
                        }
                    });
                });
        counter.markStarted(clock.millis());
        LOG.info("[{}] syslogudp source listening on {}", label, at);
    }

    /** One datagram's message (up to its first newline), with its addresses. Immutable (the array is owned). */
    private record Datagram(byte[] bytes, InetSocketAddress sender, InetSocketAddress recipient) {
    }

    private static byte[] message(ByteBuf content) {
        int start = content.readerIndex();
        int nl = content.indexOf(start, content.writerIndex(), (byte) '\n');
        byte[] bytes = new byte[(nl < 0 ? content.writerIndex() : nl) - start];
        content.getBytes(start, bytes);
        return bytes;
    }

    private void receive(SyslogParser parser, Datagram packet) {
        byte[] bytes = packet.bytes();
        counter.incrementAppendReceived();
        counter.addReceived(1);
        try {
            invalid.processEvent(parser.parse(bytes, false, StandardCharsets.UTF_8,
                    headers.headers(packet.sender(), packet.recipient())));
            counter.incrementAppendAccepted();
            counter.addAccepted(1);
        } catch (ChannelException e) {
            counter.incrementChannelWriteFail();
            log.warn("[{}] dropped a syslog message from {}: the channel refused it ({})", label, packet.sender(),
                    e.getMessage());
        }
    }

    @Override
    protected void doStop() {
        server.stop();
        counter.markStopped(clock.millis());
        LOG.info("[{}] syslogudp source stopped", label);
    }

    /** The bound address, or null when stopped. */
    public InetSocketAddress localAddress() {
        return server.localAddress();
    }
}
