package io.sluice.thrift;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ConfigProblem;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.ValidationReport;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.core.registry.ComponentDescriptors;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.thrift.ThriftProtocol;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class ThriftFactoriesTest {

    @Test
    void factoriesAreFoundThroughServiceLoaderUnderFlumeNamesAndAreWellFormed() {
        List<String> found = new ArrayList<>();
        List<ComponentFactory<?>> all = new ArrayList<>();
        for (ComponentFactory<?> f : ServiceLoader.load(ComponentFactory.class)) {
            found.add(f.kind() + " " + f.alias() + " " + f.otherNames());
            all.add(f);
        }
        assertThat(found).contains("SOURCE thrift [org.apache.flume.source.ThriftSource]",
                "SINK thrift [org.apache.flume.sink.ThriftSink]");
        assertThat(ComponentDescriptors.problems(List.of(new ThriftSourceFactory(), new ThriftSinkFactory())))
                .isEmpty();
    }

    @Test
    void sourceWithFlumeKeysIsBuiltWithFlumeDefaults() {
        SingleComponentConfig ctx = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "bind", "127.0.0.1", "port",
                "4141", "threads", "3", "protocol", "BINARY", "agent-principal", "flume/_HOST@EXAMPLE.COM");
        ThriftSource s = (ThriftSource) new ThriftSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        ThriftSourceConfig c = s.config();
        assertThat(c.workerThreads()).isEqualTo(3);
        assertThat(c.protocol()).isEqualTo(ThriftProtocol.BINARY);
        assertThat(c.tls()).isEmpty();
        assertThat(c.maxFrameBytes()).isEqualTo(ThriftSourceConfig.DEFAULT_MAX_FRAME_BYTES);
        assertThat(c.idleTimeoutMillis()).isZero();
        assertThat(ctx.counters().find("SOURCE", "r1")).isNotNull();
        SingleComponentConfig defaults = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "bind", "0.0.0.0",
                "port", "0");
        ThriftSourceConfig d = ((ThriftSource) new ThriftSourceFactory().create(defaults.context())).config();
        assertThat(d.protocol()).isEqualTo(ThriftProtocol.COMPACT);
        assertThat(d.workerThreads()).isEqualTo(ThriftSourceConfig.defaultWorkerThreads());
    }

    @Test
    void sourceProblemsNameEveryBadKeyAndKerberosSaysWhatToDo() {
        SingleComponentConfig ctx = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "port", "70000", "ssl",
                "true", "protocol", "json", "kerberos", "true", "threads", "-1");
        assertThat(new ThriftSourceFactory().create(ctx.context())).isNull();
        assertThat(ctx.problems()).extracting(ConfigProblem::key).contains("a1.sources.r1.bind", "a1.sources.r1.port",
                "a1.sources.r1.keystore", "a1.sources.r1.keystore-password", "a1.sources.r1.protocol",
                "a1.sources.r1.kerberos", "a1.sources.r1.threads");
        assertThat(ctx.problems().toString()).contains("does not implement Thrift's Kerberos", "ssl = true");
    }

    @Test
    void sinkWithFlumeKeysIsBuiltAndProblemsNameTheKey() {
        SingleComponentConfig ok = SingleComponentConfig.of(ComponentKind.SINK, "k1", "hostname", "127.0.0.1", "port",
                "4141", "batch-size", "500", "protocol", "binary", "reset-connection-interval", "60",
                "connect-timeout", "1000", "request-timeout", "2000", "trust-all-certs", "true");
        RpcClientConfig c = ThriftSinkFactory.read(ok.context());
        assertThat(ok.problems()).isEmpty();
        assertThat(ok.warnings().toString()).contains("trust-all-certs");
        assertThat(c.clientType()).isEqualTo(RpcClientConfig.THRIFT);
        assertThat(c.batchSize()).isEqualTo(500);
        assertThat(c.thriftProtocol()).isEqualTo(ThriftProtocol.BINARY);
        assertThat(c.maxConnections()).isEqualTo(1);
        assertThat(c.connectTimeoutMillis()).isEqualTo(1000);
        assertThat(c.requestTimeoutMillis()).isEqualTo(2000);
        assertThat(new ThriftSinkFactory().create(ok.context())).isInstanceOf(ThriftSink.class);

        SingleComponentConfig defaults = SingleComponentConfig.of(ComponentKind.SINK, "k1", "hostname", "h", "port",
                "1");
        RpcClientConfig d = ThriftSinkFactory.read(defaults.context());
        assertThat(d.batchSize()).isEqualTo(100);
        assertThat(d.thriftProtocol()).isEqualTo(ThriftProtocol.COMPACT);
        assertThat(d.connectTimeoutMillis()).isEqualTo(20_000);
        assertThat(d.requestTimeoutMillis()).isEqualTo(20_000);

        SingleComponentConfig bad = SingleComponentConfig.of(ComponentKind.SINK, "k1", "port", "0", "batch-size", "0",
                "protocol", "tuple", "kerberos", "true", "ssl", "true", "truststore", "/nonexistent/trust.jks");
        assertThat(new ThriftSinkFactory().create(bad.context())).isNull();
        assertThat(bad.problems()).extracting(ConfigProblem::key).contains("a1.sinks.k1.hostname", "a1.sinks.k1.port",
                "a1.sinks.k1.batch-size", "a1.sinks.k1.protocol", "a1.sinks.k1.kerberos", "a1.sinks.k1.truststore");
    }

    @Test
    void aFlumeConfigurationWithThriftComponentsValidatesUnchanged(@TempDir Path dir) {
        Map<String, String> properties = OrderedProperties.parse(String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = org.apache.flume.source.ThriftSource", "a1.sources.r1.channels = c1",
                "a1.sources.r1.bind = 0.0.0.0", "a1.sources.r1.port = 4353", "a1.sources.r1.threads = 8",
                "a1.channels.c1.type = memory", "a1.channels.c1.capacity = 10000",
                "a1.channels.c1.transactionCapacity = 1000",
                "a1.sinks.k1.type = thrift", "a1.sinks.k1.channel = c1", "a1.sinks.k1.hostname = collector",
                "a1.sinks.k1.port = 4353", "a1.sinks.k1.batch-size = 1000", "a1.sinks.k1.protocol = compact"));
        ValidationReport report = Agent.validate(AgentSpec.fromProperties("a1", properties, dir));
        assertThat(report.problems()).isEmpty();
    }
}
