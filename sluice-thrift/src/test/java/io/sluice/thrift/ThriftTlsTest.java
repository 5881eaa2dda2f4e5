package io.sluice.thrift;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.ThriftRpcClient;
import io.sluice.sdk.thrift.ThriftProtocol;
import io.sluice.testing.TestKeystores;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.apache.flume.event.EventBuilder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The thrift source with {@code ssl = true}: Sluice's and Apache Flume's thrift clients over TLS. */
class ThriftTlsTest {
    @TempDir
    static Path dir;
    static TestKeystores keys;

    @BeforeAll
    static void keystores() throws Exception {
        keys = TestKeystores.create(dir, "JKS");
    }

    private static ThriftSourceConfig tlsSource() {
        SingleComponentConfig ctx = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "bind", "127.0.0.1", "port",
                "0", "ssl", "true", "keystore", keys.keystore().toString(), "keystore-password",
                TestKeystores.PASSWORD);
        ThriftSourceConfig config = ThriftSourceFactory.read(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        return config;
    }

    private static RpcClientConfig.Builder client(int port) {
        return RpcClientConfig.builder().clientType(RpcClientConfig.THRIFT).host("127.0.0.1", port)
                .thriftProtocol(ThriftProtocol.BINARY);
    }

    @Test
    void sluiceClientSendsOverTlsAndAPlainClientIsRefused() throws Exception {
        try (Receiver r = Receiver.start(tlsSource(), 1000)) {
            List<Event> events = Receiver.numbered("tls", 250);
            try (ThriftRpcClient c = new ThriftRpcClient(client(r.port()).ssl(true).truststore(keys.truststore())
                    .truststorePassword(TestKeystores.PASSWORD).build())) {
                c.appendBatch(events);
            }
            assertThat(r.drain()).containsExactlyElementsOf(events);
            try (ThriftRpcClient plain = new ThriftRpcClient(client(r.port()).requestTimeoutMillis(5000).build())) {
                assertThatThrownBy(() -> plain.appendBatch(events)).isInstanceOf(EventDeliveryException.class);
            }
            assertThat(r.channel.size()).isZero();
            await().until(() -> r.counter(SourceCounter.EVENT_READ_FAIL) >= 1);
        }
    }

    @Test
    void tlsClientToAPlainSourceFailsWithAClearError() throws Exception {
        try (Receiver r = Receiver.start()) {
            try (ThriftRpcClient c = new ThriftRpcClient(client(r.port()).ssl(true).truststore(keys.truststore())
                    .truststorePassword(TestKeystores.PASSWORD).connectTimeoutMillis(5000).build())) {
                assertThatThrownBy(() -> c.appendBatch(Receiver.numbered("x", 1)))
                        .isInstanceOf(EventDeliveryException.class).hasMessageContaining("TLS handshake");
            }
            await().until(() -> r.counter(SourceCounter.EVENT_READ_FAIL) == 1);
        }
    }

    @Test
    void flumeThriftClientSendsOverTls() throws Exception {
        try (Receiver r = Receiver.start(tlsSource(), 1000)) {
            Properties p = new Properties();
            p.setProperty("client.type", "thrift");
            p.setProperty("hosts", "h1");
            p.setProperty("hosts.h1", "127.0.0.1:" + r.port());
            p.setProperty("ssl", "true");
            p.setProperty("truststore", keys.truststore().toString());
            p.setProperty("truststore-password", TestKeystores.PASSWORD);
            p.setProperty("truststore-type", "JKS");
            RpcClient client = RpcClientFactory.getInstance(p);
            try {
                for (int i = 0; i < 20; i++) {
                    client.append(EventBuilder.withBody(("secure-" + i).getBytes(), Map.of("i", "" + i)));
                }
            } finally {
                client.close();
            }
            assertThat(r.drain()).hasSize(20).first().satisfies(e -> assertThat(e.header("i")).isEqualTo("0"));
        }
    }
}
