package io.sluice.sdk;

import io.sluice.sdk.thrift.ThriftProtocol;
import java.util.Properties;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class RpcClientConfigTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void readsFlumeClientPropertiesWithFlumeDefaults() {
        RpcClientConfig c = RpcClientConfig.fromProperties(props("hosts", "h1 h2", "hosts.h1", "a:1",
                "hosts.h2", "b:2", "client.type", "default_loadbalance", "host-selector", "random",
                "backoff", "true", "compression-type", "deflate"));
        assertThat(c.clientType()).isEqualTo(RpcClientConfig.LOAD_BALANCE);
        assertThat(c.hosts()).containsExactly(new HostInfo("h1", "a", 1), new HostInfo("h2", "b", 2));
        assertThat(c.batchSize()).isEqualTo(100);
        assertThat(c.connectTimeoutMillis()).isEqualTo(20_000);
        assertThat(c.requestTimeoutMillis()).isEqualTo(20_000);
        assertThat(c.maxAttempts()).isEqualTo(2);
        assertThat(c.hostSelector()).isEqualTo("random");
        assertThat(c.backoff()).isTrue();
        assertThat(c.maxBackoffMillis()).isEqualTo(30_000);
        assertThat(c.deflate()).isTrue();
        assertThat(c.compressionLevel()).isEqualTo(6);
        assertThat(c.ssl()).isFalse();
    }

    @Test
    void readsThriftClientPropertiesWithFlumeDefaults() {
        RpcClientConfig c = RpcClientConfig.fromProperties(props("hosts", "h1", "hosts.h1", "a:1",
                "client.type", "THRIFT"));
        assertThat(c.clientType()).isEqualTo(RpcClientConfig.THRIFT);
        assertThat(c.thriftProtocol()).isEqualTo(ThriftProtocol.COMPACT);
        assertThat(c.maxConnections()).isEqualTo(5);
        RpcClientConfig binary = RpcClientConfig.fromProperties(props("hosts", "h1", "hosts.h1", "a:1",
                "client.type", "thrift", "protocol", "Binary", "maxConnections", "2"));
        assertThat(binary.thriftProtocol()).isEqualTo(ThriftProtocol.BINARY);
        assertThat(binary.maxConnections()).isEqualTo(2);
    }

    @Test
    void badPropertiesNameTheKeyAndTheFix() {
        assertThatThrownBy(() -> RpcClientConfig.fromProperties(props()))
                .hasMessageContaining("hosts (missing)");
        assertThatThrownBy(() -> RpcClientConfig.fromProperties(props("hosts", "h1")))
                .hasMessageContaining("hosts.h1 (missing)");
        assertThatThrownBy(() -> RpcClientConfig.fromProperties(props("hosts", "h1", "hosts.h1", "nohostport")))
                .hasMessageContaining("hosts.h1 = nohostport: must be host:port");
        assertThatThrownBy(() -> RpcClientConfig.fromProperties(props("hosts", "h1", "hosts.h1", "a:1",
                "batch-size", "0"))).hasMessageContaining("batch-size = 0: must be at least 1");
        assertThatThrownBy(() -> RpcClientConfig.fromProperties(props("hosts", "h1", "hosts.h1", "a:1",
                "client.type", "avro"))).hasMessageContaining("client.type = avro: must be default, default_failover,"
                        + " default_loadbalance or thrift");
        assertThatThrownBy(() -> RpcClientConfig.fromProperties(props("hosts", "h1", "hosts.h1", "a:1",
                "client.type", "thrift", "protocol", "json"))).hasMessageContaining("protocol = json: must be compact"
                        + " or binary");
        assertThatThrownBy(() -> RpcClientConfig.fromProperties(props("hosts", "h1", "hosts.h1", "a:1",
                "maxConnections", "0"))).hasMessageContaining("maxConnections = 0: must be at least 1");
        assertThatThrownBy(() -> RpcClientConfig.fromProperties(props("hosts", "h1", "hosts.h1", "a:1",
                "compression-type", "gzip"))).hasMessageContaining("compression-type = gzip");
    }
}
