package io.sluice.sdk;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

class NettyRpcClientTest {

    @Test
    void unreachableAgentIsReportedWithItsAddress() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        int p = port;
        assertThatThrownBy(() -> RpcClientFactory.getDefaultInstance("127.0.0.1", p))
                .isInstanceOf(EventDeliveryException.class)
                .hasMessageContaining("cannot connect to 127.0.0.1:" + p);
    }

    @Test
    void silentServerFailsTheHandshakeWithinConnectTimeout() throws Exception {
        List<Socket> accepted = new ArrayList<>();
        try (ServerSocket s = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            Thread t = new Thread(() -> {
                try {
                    accepted.add(s.accept());
                } catch (Exception ignored) {
                    // closed by the test
                }
            });
            t.start();
            // an hour of request-timeout: a handshake governed by anything but connect-timeout hangs
            RpcClientConfig config = RpcClientConfig.builder().host("127.0.0.1", s.getLocalPort())
                    .connectTimeoutMillis(300).requestTimeoutMillis(TimeUnit.HOURS.toMillis(1)).build();
            try (NettyRpcClient c = new NettyRpcClient(config)) {
                assertTimeoutPreemptively(Duration.ofMinutes(1), () -> assertThatThrownBy(
                        () -> c.appendBatch(List.of(Event.ofString("x"))))
                        .isInstanceOf(EventDeliveryException.class)
                        .hasMessageContaining("did not complete the handshake within connect-timeout 300 ms"));
                assertThat(c.isActive()).isTrue();
            }
            t.join(5000);
        } finally {
            for (Socket a : accepted) {
                a.close();
            }
        }
    }

    @Test
    void closedClientRefusesCalls() {
        NettyRpcClient c = new NettyRpcClient(RpcClientConfig.builder().host("127.0.0.1", 9).build());
        c.close();
        assertThat(c.isActive()).isFalse();
        assertThatThrownBy(() -> c.append(Event.ofString("x"))).hasMessageContaining("is closed");
    }
}
