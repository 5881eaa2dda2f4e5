package io.sluice.kafka;

import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.testing.CollectingSink;
import io.sluice.testing.EmbeddedAgent;
import io.sluice.testing.LogCapture;
import io.sluice.testing.TestKeystores;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Kafka source, sink and channel through a real broker's SSL and SASL_SSL (SCRAM-SHA-512)
 * listeners, configured only with {@code kafka.consumer.*} / {@code kafka.producer.*} keys as an Apache
 * Flume 1.11 user writes them. The key and trust stores are made by the JDK's keytool. Each component is
 * pointed at a TLS port only, so it reads or writes nothing unless the keys reach its Kafka client. One
 * broker (KRaft, 127.0.0.1, ephemeral ports) for the class.
 */
class KafkaSecurityTest {
    private static final String USER = "alice";
    private static final String PASSWORD = "alice-secret";

    @TempDir
    static Path dir;
    static TestKeystores keys;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() throws Exception {
        keys = TestKeystores.create(dir, "PKCS12");
        broker = KafkaBroker.startSecured(dir, keys, Map.of(USER, PASSWORD));
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** The keys of a client of the SSL listener: the trust store only. */
    private static String ssl(String prefix) {
        return String.join("\n",
                prefix + "security.protocol = SSL",
                prefix + "ssl.truststore.location = " + keys.truststore(),
                prefix + "ssl.truststore.password = " + TestKeystores.PASSWORD,
                prefix + "ssl.truststore.type = " + keys.type());
    }

    /** The keys of a client of the SASL_SSL listener, logging in as {@code USER} with {@code password}. */
    private static String saslSsl(String prefix, String password) {
        return String.join("\n",
                prefix + "security.protocol = SASL_SSL",
                prefix + "ssl.truststore.location = " + keys.truststore(),
                prefix + "ssl.truststore.password = " + TestKeystores.PASSWORD,
                prefix + "ssl.truststore.type = " + keys.type(),
                prefix + "sasl.mechanism = SCRAM-SHA-512",
                prefix + "sasl.jaas.config = org.apache.kafka.common.security.scram.ScramLoginModule required"
                        + " username=\"" + USER + "\" password=\"" + password + "\";");
    }

    private static String sinkAgent(String servers, String topic, int total, String producerKeys) {
        return String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = " + total, "a1.sources.r1.batchSize = 50",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory", "a1.channels.c1.capacity = 10000",
                "a1.channels.c1.transactionCapacity = 100",
                "a1.sinks.k1.type = org.apache.flume.sink.kafka.KafkaSink",
                "a1.sinks.k1.kafka.bootstrap.servers = " + servers,
                "a1.sinks.k1.kafka.topic = " + topic,
                "a1.sinks.k1.flumeBatchSize = 50",
                "a1.sinks.k1.kafka.producer.max.block.ms = 5000",
                producerKeys,
                "a1.sinks.k1.channel = c1");
    }

    private static String sourceAgent(String servers, String topic, String consumerKeys) {
        return String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = org.apache.flume.source.kafka.KafkaSource",
                "a1.sources.r1.channels = c1",
                "a1.sources.r1.kafka.bootstrap.servers = " + servers,
                "a1.sources.r1.kafka.topics = " + topic,
                "a1.sources.r1.kafka.consumer.group.id = g-" + topic,
                "a1.sources.r1.kafka.consumer.auto.offset.reset = earliest",
                "a1.sources.r1.batchSize = 50", "a1.sources.r1.batchDurationMillis = 100",
                consumerKeys,
                "a1.channels.c1.type = memory", "a1.channels.c1.capacity = 1000",
                "a1.channels.c1.transactionCapacity = 100",
                "a1.sinks.k1.type = collecting", "a1.sinks.k1.batchSize = 50",
                "a1.sinks.k1.channel = c1");
    }

    private static List<String> numbers(int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(String.valueOf(i));
        }
        return out;
    }

    private static List<String> bodies(String topic) {
        List<String> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll(topic, "read_committed")) {
            out.add(new String(r.value(), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** Writes 0..n-1 through a sink pointed at {@code servers} with {@code producerKeys}; checks the topic. */
    private static void writeThrough(String servers, String topic, int n, String producerKeys) throws Exception {
        broker.createTopic(topic, 1);
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", sinkAgent(servers, topic, n, producerKeys))) {
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", n, Duration.ofSeconds(60));
        }
        assertThat(bodies(topic)).containsExactlyElementsOf(numbers(n));
    }

    /** Reads the topic through a source pointed at {@code servers} with {@code consumerKeys}; expects 0..n-1. */
    private static void readThrough(String servers, String topic, int n, String consumerKeys) throws Exception {
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", sourceAgent(servers, topic, consumerKeys))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.count() == n);
            assertThat(sink.bodies()).containsExactlyElementsOf(numbers(n));
        }
    }

    @Test
    void theSinkWritesThroughSaslSslAndTheSourceReadsThroughSsl() throws Exception {
        writeThrough(broker.saslSslBootstrapServers(), "sec-sink", 200, saslSsl("a1.sinks.k1.kafka.producer.", PASSWORD));
        readThrough(broker.sslBootstrapServers(), "sec-sink", 200, ssl("a1.sources.r1.kafka.consumer."));
    }

    @Test
    void theSourceReadsThroughSaslSslAndTheSinkWritesThroughSsl() throws Exception {
        writeThrough(broker.sslBootstrapServers(), "sec-src", 100, ssl("a1.sinks.k1.kafka.producer."));
        readThrough(broker.saslSslBootstrapServers(), "sec-src", 100, saslSsl("a1.sources.r1.kafka.consumer.", PASSWORD));
    }

    @Test
    void theChannelPutsAndTakesThroughSaslSsl() throws Exception {
        broker.createTopic("sec-channel", 1);
        String config = String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = 150", "a1.sources.r1.batchSize = 50",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = org.apache.flume.channel.kafka.KafkaChannel",
                "a1.channels.c1.kafka.bootstrap.servers = " + broker.saslSslBootstrapServers(),
                "a1.channels.c1.kafka.topic = sec-channel",
                "a1.channels.c1.kafka.consumer.group.id = g-sec-channel",
                "a1.channels.c1.kafka.pollTimeout = 100",
                saslSsl("a1.channels.c1.kafka.producer.", PASSWORD),
                saslSsl("a1.channels.c1.kafka.consumer.", PASSWORD),
                "a1.sinks.k1.type = collecting", "a1.sinks.k1.batchSize = 50",
                "a1.sinks.k1.channel = c1");
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", config)) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.count() == 150);
            assertThat(sink.bodies()).containsExactlyElementsOf(numbers(150));
        }
        assertThat(broker.readAll("sec-channel", "read_committed")).hasSize(150);
    }

    @Test
    void aWrongPasswordIsReportedWithTheUserMechanismAndKeysToCheck() throws Exception {
        broker.createTopic("sec-wrong", 1);
        try (LogCapture logs = LogCapture.start();
                EmbeddedAgent a = EmbeddedAgent.start("a1", sinkAgent(broker.saslSslBootstrapServers(), "sec-wrong",
                        10, saslSsl("a1.sinks.k1.kafka.producer.", "not-the-password")))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> logs.any(m -> m.contains("refused the SASL SCRAM-SHA-512"
                    + " login as user 'alice'")));
            assertThat(logs.matching("refused the SASL")).allSatisfy(m -> assertThat(m)
                    .contains(broker.saslSslBootstrapServers() + " (security.protocol SASL_SSL)")
                    .contains("check the user name and password in kafka.producer.sasl.jaas.config")
                    .doesNotContain("not-the-password"));
            assertThat(a.counter("SINK", "k1", "EventDrainSuccessCount")).isZero();
        }
        try (LogCapture logs = LogCapture.start();
                EmbeddedAgent a = EmbeddedAgent.start("a1", sourceAgent(broker.saslSslBootstrapServers(), "sec-wrong",
                        saslSsl("a1.sources.r1.kafka.consumer.", "not-the-password")))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> logs.any(m -> m.contains("refused the SASL SCRAM-SHA-512"
                    + " login as user 'alice'") && m.contains("kafka.consumer.sasl.jaas.config")));
        }
        assertThat(broker.readAll("sec-wrong", "read_committed")).isEmpty();
    }

    @Test
    void anUntrustedBrokerCertificateIsReportedWithTheTrustStoreKey() throws Exception {
        broker.createTopic("sec-untrusted", 1);
        // No trust store: the JVM's default one does not hold the test's self-signed certificate.
        try (LogCapture logs = LogCapture.start();
                EmbeddedAgent a = EmbeddedAgent.start("a1", sinkAgent(broker.sslBootstrapServers(), "sec-untrusted",
                        10, "a1.sinks.k1.kafka.producer.security.protocol = SSL"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> logs.any(m -> m.contains("the TLS handshake with Kafka at "
                    + broker.sslBootstrapServers() + " (security.protocol SSL) failed")
                    && m.contains("check that kafka.producer.ssl.truststore.location (now the JVM's trust store)")));
            assertThat(a.counter("SINK", "k1", "EventDrainSuccessCount")).isZero();
        }
    }
}
