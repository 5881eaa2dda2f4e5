package io.sluice.e2e.avro;

import io.sluice.api.Event;
import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Ports;
import io.sluice.sdk.RpcClient;
import io.sluice.sdk.RpcClientFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sluice and real Apache Flume 1.11.0 processes exchange events over Avro RPC in both directions:
 * Flume's RpcClientFactory client (plain and deflate) to a Sluice agent's avro source, a Flume
 * agent's avro sink to a Sluice agent, a Sluice agent's avro sink to a Flume agent, and the same
 * hops over TLS with key stores generated here. Every event must arrive, with its headers.
 */
class FlumeInteropIT {
    private static final Duration DELIVERY = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    @Test
    void flumeRpcClientPlainAndDeflateReachSluiceSourceWithHeadersIntact() throws Exception {
        int plainPort = Ports.free();
        int deflatePort = Ports.free();
        int n = 1500;
        try (Collector collector = Collector.plain()) {
            AgentConfig conf = Agents.relay("s1", plainPort, collector.port(), 100_000,
                    "sources", "r1 r2",
                    "sources.r2.type", "avro", "sources.r2.bind", "127.0.0.1", "sources.r2.port",
                    String.valueOf(deflatePort), "sources.r2.channels", "c1", "sources.r2.compression-type", "deflate");
            try (ChildProcess sluice = Agents.startSluice("sluice-s1", dir.resolve("s1"), conf, plainPort)) {
                Ports.awaitListening(sluice, deflatePort, Agents.START);
                for (String compression : List.of("none", "deflate")) {
                    int port = compression.equals("none") ? plainPort : deflatePort;
                    try (ChildProcess flume = Agents.startFlumeClient(dir.resolve("client-" + compression), port, n,
                            compression)) {
                        assertThat(flume.awaitExit(DELIVERY)).as(flume.tail()).isZero();
                        assertThat(flume.output()).contains("SENT " + n);
                    }
                }
                collector.awaitCount(2 * n, DELIVERY);
            }
            List<Event> got = collector.events();
            assertThat(got).hasSize(2 * n);
            Set<Event> expected = new HashSet<>();
            for (int i = 0; i < n; i++) {
                expected.add(Event.of(FlumeRpcDriver.headers(i),
                        FlumeRpcDriver.body(i).getBytes(StandardCharsets.UTF_8)));
            }
            assertThat(new HashSet<>(got)).isEqualTo(expected);
            assertThat(got.subList(0, n)).containsExactlyInAnyOrderElementsOf(expected);
        }
    }

    @Test
    void flumeAgentToSluiceAgentToFlumeAgentDeliversEverything() throws Exception {
        runChain(false);
    }

    @Test
    void flumeAgentToSluiceAgentToFlumeAgentDeliversEverythingOverTls() throws Exception {
        runChain(true);
    }

    /**
     * Flume f1 (seq source) -avro-> Sluice s1 -avro-> Flume f2 -avro-> collector; with TLS on the
     * first two hops: f1 trusts s1 through a trust store, s1 trusts f2 with trust-all-certs.
     */
    private void runChain(boolean tls) throws Exception {
        int n = 3000;
        int s1Port = Ports.free();
        int f2Port = Ports.free();
        Keystores keys = tls ? Keystores.create(dir) : null;
        try (Collector collector = Collector.plain()) {
            AgentConfig f2 = AgentConfig.of("f2")
                    .components("r1", "c1", "k1")
                    .loopbackSource("r1", "avro", f2Port, "c1")
                    .set("channels.c1.type", "memory").set("channels.c1.capacity", 100000)
                    .set("channels.c1.transactionCapacity", 1000)
                    .set("sinks.k1.type", "avro").set("sinks.k1.channel", "c1")
                    .set("sinks.k1.hostname", "127.0.0.1").set("sinks.k1.port", collector.port())
                    .set("sinks.k1.batch-size", 100);
            List<String> s1Extra = new ArrayList<>();
            if (tls) {
                f2.set("sources.r1.ssl", "true").set("sources.r1.keystore", keys.keystore())
                        .set("sources.r1.keystore-password", Keystores.PASSWORD).set("sources.r1.keystore-type", "JKS");
                s1Extra.addAll(List.of("sources.r1.ssl", "true", "sources.r1.keystore", keys.keystore().toString(),
                        "sources.r1.keystore-password", Keystores.PASSWORD, "sinks.k1.ssl", "true",
                        "sinks.k1.trust-all-certs", "true"));
            }
            AgentConfig s1 = Agents.relay("s1", s1Port, f2Port, 100_000, s1Extra.toArray(new String[0]));
            AgentConfig f1 = AgentConfig.of("f1")
                    .components("r1", "c1", "k1")
                    .set("sources.r1.type", "seq").set("sources.r1.totalEvents", n).set("sources.r1.batchSize", 100)
                    .set("sources.r1.channels", "c1")
                    .set("channels.c1.type", "memory").set("channels.c1.capacity", 100000)
                    .set("channels.c1.transactionCapacity", 1000)
                    .set("sinks.k1.type", "avro").set("sinks.k1.channel", "c1")
                    .set("sinks.k1.hostname", "127.0.0.1").set("sinks.k1.port", s1Port)
                    .set("sinks.k1.batch-size", 100);
            if (tls) {
                f1.set("sinks.k1.ssl", "true").set("sinks.k1.truststore", keys.truststore())
                        .set("sinks.k1.truststore-password", Keystores.PASSWORD)
                        .set("sinks.k1.truststore-type", "JKS");
            }
            try (ChildProcess flume2 = Agents.startFlume("flume-f2", dir.resolve("f2"), f2, f2Port);
                    ChildProcess sluice = Agents.startSluice("sluice-s1", dir.resolve("s1"), s1, s1Port);
                    ChildProcess flume1 = Agents.startFlume("flume-f1", dir.resolve("f1"), f1, 0)) {
                collector.awaitCount(n, DELIVERY);
            }
            Set<String> expected = IntStream.range(0, n).mapToObj(Integer::toString).collect(Collectors.toSet());
            assertThat(collector.distinctBodies()).isEqualTo(expected);
        }
    }

    @Test
    void sluiceClientToFlumeAgentKeepsHeaders() throws Exception {
        int f1Port = Ports.free();
        int n = 700;
        try (Collector collector = Collector.plain()) {
            AgentConfig f1 = AgentConfig.of("f1")
                    .components("r1", "c1", "k1")
                    .loopbackSource("r1", "avro", f1Port, "c1").set("sources.r1.compression-type", "deflate")
                    .set("channels.c1.type", "memory").set("channels.c1.capacity", 100000)
                    .set("channels.c1.transactionCapacity", 1000)
                    .set("sinks.k1.type", "avro").set("sinks.k1.channel", "c1")
                    .set("sinks.k1.hostname", "127.0.0.1").set("sinks.k1.port", collector.port());
            List<Event> sent = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                sent.add(Event.of(Map.of("seq", Integer.toString(i), "origin", "sluice-sdk", "\u00fc", "\u4e2d"),
                        ("sluice-" + i).getBytes(StandardCharsets.UTF_8)));
            }
            try (ChildProcess flume = Agents.startFlume("flume-f1", dir.resolve("f1"), f1, f1Port)) {
                Properties p = new Properties();
                p.setProperty("hosts", "h1");
                p.setProperty("hosts.h1", "127.0.0.1:" + f1Port);
                p.setProperty("compression-type", "deflate");
                p.setProperty("batch-size", "64");
                try (RpcClient client = RpcClientFactory.getInstance(p)) {
                    client.appendBatch(sent.subList(0, n - 5));
                    for (Event e : sent.subList(n - 5, n)) {
                        client.append(e);
                    }
                }
                collector.awaitCount(n, DELIVERY);
            }
            assertThat(collector.events()).containsExactlyInAnyOrderElementsOf(sent);
        }
    }
}
