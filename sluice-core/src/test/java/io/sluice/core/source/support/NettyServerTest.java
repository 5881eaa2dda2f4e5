package io.sluice.core.source.support;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import java.io.InputStream;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class NettyServerTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();

    private final NettyServer server = new NettyServer("a1.sources.t1", "nettytest-t1");

    @AfterEach
    void tearDown() {
        server.stop();
    }

    private static long threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(prefix)).count();
    }

    @Test
    void aTakenTcpPortFailsNamingTheAddressAndLeavesNoThreads() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, LOOPBACK)) {
            assertThatThrownBy(() -> server.bindTcp(LOOPBACK, taken.getLocalPort(), 1, 1, b -> { }, (ch, h) -> { }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("[a1.sources.t1] cannot listen on " + LOOPBACK.getHostAddress() + ":"
                            + taken.getLocalPort());
        }
        assertThat(server.localAddress()).isNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> threadsNamed("nettytest-t1-") == 0);
    }

    @Test
    void aTakenUdpPortFailsNamingUdpAndTheAddress() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(LOOPBACK, 0))) {
            taken.setReuseAddress(false);
            assertThatThrownBy(() -> server.bindUdp(LOOPBACK, taken.getLocalPort(), 1, b -> { }, (ch, h) -> { }))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("cannot listen on UDP " + LOOPBACK.getHostAddress() + ":"
                            + taken.getLocalPort());
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> threadsNamed("nettytest-t1-") == 0);
    }

    @Test
    void stopClosesOpenConnectionsEndsTheThreadsAndCanBindAgain() throws Exception {
        AtomicInteger bytesSeen = new AtomicInteger();
        InetSocketAddress at = server.bindTcp(LOOPBACK, 0, 1, 1, b -> { }, (ch, handlers) ->
                ch.pipeline().addLast(handlers, "count", new SimpleChannelInboundHandler<ByteBuf>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                        bytesSeen.addAndGet(msg.readableBytes());
                    }
                }));
        assertThat(at.getPort()).isPositive();
        assertThat(server.localAddress()).isEqualTo(at);
        try (Socket client = new Socket(LOOPBACK, at.getPort())) {
            client.getOutputStream().write("hello".getBytes());
            client.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(30)).until(() -> bytesSeen.get() == 5);

            server.stop();

            client.setSoTimeout(30_000);
            InputStream in = client.getInputStream();
            assertThat(in.read()).as("the server closed the open connection").isEqualTo(-1);
        }
        assertThat(server.localAddress()).isNull();
        await().atMost(Duration.ofSeconds(30)).until(() -> threadsNamed("nettytest-t1-") == 0);

        InetSocketAddress again = server.bindTcp(LOOPBACK, 0, 1, 1, b -> { }, (ch, h) -> { });
        assertThat(server.localAddress()).isEqualTo(again);
    }
}
