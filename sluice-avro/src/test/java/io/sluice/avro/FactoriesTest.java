package io.sluice.avro;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Sink;
import io.sluice.api.Source;
import io.sluice.api.config.ConfigProblem;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.ValidationReport;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.config.SingleComponentConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

class FactoriesTest {

    @Test
    void factoriesAreFoundThroughServiceLoaderUnderFlumeNames() {
        List<String> found = new ArrayList<>();
        for (ComponentFactory<?> f : ServiceLoader.load(ComponentFactory.class)) {
            found.add(f.kind() + " " + f.alias() + " " + f.otherNames());
        }
        assertThat(found).contains("SOURCE avro [org.apache.flume.source.AvroSource]",
                "SINK avro [org.apache.flume.sink.AvroSink]");
    }

    @Test
    void sourceWithFlumeKeysIsBuiltAndCountsUnderItsName() {
        SingleComponentConfig ctx = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "bind", "127.0.0.1", "port", "0",
                "compression-type", "deflate", "threads", "3", "ipFilter", "true",
                "ipFilterRules", "allow:ip:127.*,allow:name:localhost,deny:ip:*");
        Source s = new AvroSourceFactory().create(ctx.context());
        assertThat(ctx.problems()).isEmpty();
        assertThat(s).isInstanceOf(AvroSource.class);
        AvroSourceConfig c = ((AvroSource) s).config();
        assertThat(c.deflate()).isTrue();
        assertThat(c.ioThreads()).isEqualTo(3);
        assertThat(c.ipFilterRules()).hasSize(3);
        assertThat(ctx.counters().find("SOURCE", "r1")).isNotNull();
    }

    @Test
    void sourceProblemsNameEveryBadKey() {
        SingleComponentConfig ctx = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "port", "70000", "ssl", "true",
                "compression-type", "gzip", "ipFilter", "true", "ipFilterRules", "permit:ip:1.2.3.4");
        assertThat(new AvroSourceFactory().create(ctx.context())).isNull();
        assertThat(ctx.problems()).extracting(p -> p.key()).contains("a1.sources.r1.bind", "a1.sources.r1.port",
                "a1.sources.r1.keystore", "a1.sources.r1.keystore-password", "a1.sources.r1.compression-type",
                "a1.sources.r1.ipFilterRules");
        assertThat(ctx.problems().toString()).contains("must start with allow or deny");
    }

    @Test
    void sinkWithFlumeKeysIsBuiltAndProblemsNameTheKey() {
        SingleComponentConfig ok = SingleComponentConfig.of(ComponentKind.SINK, "k1", "hostname", "127.0.0.1", "port", "4141",
                "batch-size", "500", "compression-type", "deflate", "compression-level", "9",
                "reset-connection-interval", "60", "ssl", "true", "trust-all-certs", "true");
        Sink sink = new AvroSinkFactory().create(ok.context());
        assertThat(ok.problems()).isEmpty();
        assertThat(sink).isInstanceOf(AvroSink.class);
        SingleComponentConfig bad = SingleComponentConfig.of(ComponentKind.SINK, "k1", "port", "0", "batch-size", "0",
                "compression-level", "12", "ssl", "true", "truststore", "/nonexistent/trust.jks");
        assertThat(new AvroSinkFactory().create(bad.context())).isNull();
        assertThat(bad.problems()).extracting(p -> p.key()).contains("a1.sinks.k1.hostname", "a1.sinks.k1.port",
                "a1.sinks.k1.batch-size", "a1.sinks.k1.compression-level", "a1.sinks.k1.truststore");
    }

    @Test
    void aBatchLargerThanTheChannelsTransactionCapacityIsRefusedAtValidation(@TempDir Path dir) {
        Map<String, String> properties = OrderedProperties.parse(String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = seq", "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory", "a1.channels.c1.transactionCapacity = 100",
                "a1.sinks.k1.type = avro", "a1.sinks.k1.channel = c1", "a1.sinks.k1.hostname = 127.0.0.1",
                "a1.sinks.k1.port = 4141", "a1.sinks.k1.batch-size = 500"));
        ValidationReport report = Agent.validate(AgentSpec.fromProperties("a1", properties, dir));
        assertThat(report.problems()).extracting(ConfigProblem::key).contains("a1.sinks.k1.batch-size");
    }
}
