package io.sluice.e2e.avro;

import io.sluice.api.Event;
import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Ports;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Thrift hops between real processes: an Apache Flume 1.11 agent's thrift sink (compact protocol)
 * sends to a Sluice agent's thrift source, whose thrift sink (binary protocol) sends to a Flume
 * agent's thrift source configured for binary, which hands everything to the test's avro
 * collector. Every event arrives exactly once with the header set on the first agent (ASCII: Flume
 * reads its configuration file as ISO-8859-1; non-ASCII headers are covered by FlumeInteropTest).
 */
class FlumeThriftChainIT {
    private static final Duration DELIVERY = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void flumeAgentToSluiceAgentToFlumeAgentOverThrift() throws Exception {
        int n = 3000;
        int s1Port = Ports.free();
        int f2Port = Ports.free();
        try (Collector collector = Collector.plain()) {
            AgentConfig f2 = AgentConfig.of("f2")
                    .components("r1", "c1", "k1")
                    .loopbackSource("r1", "thrift", f2Port, "c1").set("sources.r1.protocol", "binary")
                    .set("channels.c1.type", "memory").set("channels.c1.capacity", 100000)
                    .set("channels.c1.transactionCapacity", 1000)
                    .set("sinks.k1.type", "avro").set("sinks.k1.channel", "c1")
                    .set("sinks.k1.hostname", "127.0.0.1").set("sinks.k1.port", collector.port())
                    .set("sinks.k1.batch-size", 100);
            AgentConfig s1 = AgentConfig.of("s1")
                    .components("r1", "c1", "k1")
                    .loopbackSource("r1", "org.apache.flume.source.ThriftSource", s1Port, "c1")
                    .set("channels.c1.type", "memory").set("channels.c1.capacity", 100000)
                    .set("channels.c1.transactionCapacity", 1000)
                    .set("sinks.k1.type", "thrift").set("sinks.k1.channel", "c1")
                    .set("sinks.k1.hostname", "127.0.0.1").set("sinks.k1.port", f2Port)
                    .set("sinks.k1.batch-size", 250).set("sinks.k1.protocol", "binary")
                    .set("sinks.k1.connect-timeout", 5000).set("sinks.k1.request-timeout", 10000);
            AgentConfig f1 = AgentConfig.of("f1")
                    .components("r1", "c1", "k1")
                    .set("sources.r1.type", "seq").set("sources.r1.totalEvents", n).set("sources.r1.batchSize", 100)
                    .set("sources.r1.channels", "c1")
                    .set("sources.r1.interceptors", "i1").set("sources.r1.interceptors.i1.type", "static")
                    .set("sources.r1.interceptors.i1.key", "origin")
                    .set("sources.r1.interceptors.i1.value", "flume-f1")
                    .set("channels.c1.type", "memory").set("channels.c1.capacity", 100000)
                    .set("channels.c1.transactionCapacity", 1000)
                    .set("sinks.k1.type", "thrift").set("sinks.k1.channel", "c1")
                    .set("sinks.k1.hostname", "127.0.0.1").set("sinks.k1.port", s1Port)
                    .set("sinks.k1.batch-size", 100);
            try (ChildProcess flume2 = Agents.startFlume("flume-f2", dir.resolve("f2"), f2, f2Port);
                    ChildProcess sluice = Agents.startSluice("sluice-s1", dir.resolve("s1"), s1, s1Port);
                    ChildProcess flume1 = Agents.startFlume("flume-f1", dir.resolve("f1"), f1, 0)) {
                collector.awaitCount(n, DELIVERY);
            }
            Set<String> expected = IntStream.range(0, n).mapToObj(Integer::toString).collect(Collectors.toSet());
            assertThat(collector.distinctBodies()).isEqualTo(expected);
            assertThat(collector.count()).isEqualTo(n);
            for (Event e : collector.events()) {
                assertThat(e.header("origin")).isEqualTo("flume-f1");
                assertThat(new String(e.body(), StandardCharsets.UTF_8)).matches("\\d+");
            }
        }
    }
}
