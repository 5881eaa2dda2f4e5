package io.sluice.kafka;

import io.sluice.api.config.ConfigProblem;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.ValidationReport;
import io.sluice.kafka.channel.KafkaChannel;
import io.sluice.kafka.channel.KafkaChannelConfig;
import io.sluice.kafka.sink.KafkaSink;
import io.sluice.kafka.sink.KafkaSinkConfig;
import io.sluice.kafka.source.KafkaSource;
import io.sluice.kafka.source.KafkaSourceConfig;
import io.sluice.testing.EmbeddedAgent;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The keys of the three components, read by a real agent's validation (no broker needed: nothing starts). */
class KafkaConfigTest {
    @TempDir
    Path dir;

    private static final String SOURCE_TO_SINK = String.join("\n",
            "a1.sources = r1",
            "a1.channels = c1",
            "a1.sinks = k1",
            "a1.sources.r1.type = org.apache.flume.source.kafka.KafkaSource",
            "a1.sources.r1.channels = c1",
            "a1.sources.r1.kafka.bootstrap.servers = 127.0.0.1:9",
            "a1.sources.r1.kafka.topics = in",
            "a1.channels.c1.type = memory",
            "a1.channels.c1.capacity = 10000",
            "a1.channels.c1.transactionCapacity = 1000",
            "a1.sinks.k1.type = org.apache.flume.sink.kafka.KafkaSink",
            "a1.sinks.k1.channel = c1",
            "a1.sinks.k1.kafka.bootstrap.servers = 127.0.0.1:9",
            "a1.sinks.k1.kafka.topic = out");

    private Agent build(String props) throws Exception {
        return Agent.create(EmbeddedAgent.spec("a1", EmbeddedAgent.properties(props)));
    }

    private ValidationReport validate(String props) {
        return Agent.validate(EmbeddedAgent.spec("a1", EmbeddedAgent.properties(props)));
    }

    private static List<String> problems(ValidationReport r) {
        return r.problems().stream().map(ConfigProblem::toString).toList();
    }

    @Test
    void flumeDefaultsApplyToEveryComponent() throws Exception {
        Agent agent = build(SOURCE_TO_SINK);
        KafkaSourceConfig source = ((KafkaSource) agent.sources().get("r1")).config();
        assertThat(source.groupId()).isEqualTo("flume");
        assertThat(source.batchSize()).isEqualTo(1000);
        assertThat(source.batchDurationMillis()).isEqualTo(1000);
        assertThat(source.useFlumeEventFormat()).isFalse();
        assertThat(source.setTopicHeader()).isTrue();
        assertThat(source.topicHeader()).isEqualTo("topic");
        assertThat(source.backoff().incrementMillis()).isEqualTo(1000);
        assertThat(source.backoff().maxMillis()).isEqualTo(5000);
        assertThat(source.consumerProperties()).containsEntry("enable.auto.commit", "false")
                .containsEntry("group.id", "flume")
                .containsEntry("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");

        KafkaSinkConfig sink = ((KafkaSink) agent.sinks().get("k1")).config();
        assertThat(sink.batchSize()).isEqualTo(100);
        assertThat(sink.acks()).isEqualTo("all");
        assertThat(sink.allowTopicOverride()).isTrue();
        assertThat(sink.topicHeader()).isEqualTo("topic");
        assertThat(sink.defaultPartitionId()).isEmpty();
        assertThat(sink.exactlyOnce()).isFalse();
        assertThat(sink.producerProperties()).doesNotContainKey("transactional.id");
    }

    @Test
    void kafkaClientKeysPassThroughWithTlsAndSasl() throws Exception {
        Agent agent = build(SOURCE_TO_SINK + "\n" + String.join("\n",
                "a1.sources.r1.kafka.consumer.security.protocol = SASL_SSL",
                "a1.sources.r1.kafka.consumer.sasl.mechanism = PLAIN",
                "a1.sources.r1.kafka.consumer.ssl.truststore.location = /etc/kafka/trust.jks",
                "a1.sources.r1.kafka.consumer.ssl.disableTLSHostnameVerification = true",
                "a1.sources.r1.kafka.consumer.max.poll.records = 77",
                "a1.sinks.k1.kafka.producer.linger.ms = 9",
                "a1.sinks.k1.kafka.producer.compression.type = zstd",
                "a1.sinks.k1.kafka.producer.acks = 1"));
        KafkaSourceConfig source = ((KafkaSource) agent.sources().get("r1")).config();
        assertThat(source.consumerProperties()).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "PLAIN")
                .containsEntry("ssl.truststore.location", "/etc/kafka/trust.jks")
                .containsEntry("ssl.endpoint.identification.algorithm", "")
                .containsEntry("max.poll.records", "77")
                .doesNotContainKey("ssl.disableTLSHostnameVerification");
        KafkaSinkConfig sink = ((KafkaSink) agent.sinks().get("k1")).config();
        assertThat(sink.producerProperties()).containsEntry("linger.ms", "9").containsEntry("compression.type", "zstd")
                .containsEntry("acks", "1");
        assertThat(agent.report().warnings()).isEmpty();
    }

    @Test
    void agentWideKeyAndTrustStoresFillWhatTheKeysLeaveOut() {
        Map<String, Object> p = new HashMap<>(Map.of("security.protocol", "SSL",
                "ssl.truststore.location", "/mine.jks"));
        Map<String, String> sys = Map.of("javax.net.ssl.trustStore", "/global.jks",
                "javax.net.ssl.keyStorePassword", "secret");
        Map<String, String> env = Map.of("FLUME_SSL_KEYSTORE_PATH", "/env-key.jks");

        KafkaClientProperties.withGlobalTls(p, sys::get, env::get);

        assertThat(p).containsEntry("ssl.truststore.location", "/mine.jks")
                .containsEntry("ssl.keystore.location", "/env-key.jks")
                .containsEntry("ssl.keystore.password", "secret");
        Map<String, Object> plain = new HashMap<>(Map.of("security.protocol", "PLAINTEXT"));
        KafkaClientProperties.withGlobalTls(plain, sys::get, env::get);
        assertThat(plain).containsOnlyKeys("security.protocol");
    }

    @Test
    void aMisspelledPassThroughKeyIsWarnedAboutWithTheNearestKafkaName() {
        ValidationReport r = validate(SOURCE_TO_SINK + "\na1.sources.r1.kafka.consumer.max.pol.records = 5");
        assertThat(r.ok()).isTrue();
        assertThat(r.warnings()).anySatisfy(w -> assertThat(w).contains("a1.sources.r1.kafka.consumer.max.pol.records")
                .contains("max.poll.records"));
    }

    @Test
    void zooKeeperKeysAreRefusedWithWhatToDoInstead() {
        ValidationReport r = validate(SOURCE_TO_SINK + "\n" + String.join("\n",
                "a1.sources.r1.zookeeperConnect = zk:2181",
                "a1.sources.r1.migrateZookeeperOffsets = true",
                "a1.sinks.k1.zookeeperConnect = zk:2181"));
        assertThat(problems(r)).anySatisfy(p -> assertThat(p).startsWith("a1.sources.r1.zookeeperConnect = zk:2181:"
                        + " is a removed Apache Flume Kafka key").contains("kafka.bootstrap.servers"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.sources.r1.migrateZookeeperOffsets = true"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.sinks.k1.zookeeperConnect"));
    }

    @Test
    void missingBootstrapServersAndTopicsAreProblems() {
        ValidationReport r = validate(String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = kafka", "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = kafka",
                "a1.sinks.k1.type = kafka", "a1.sinks.k1.channel = c1"));
        assertThat(problems(r)).anySatisfy(p -> assertThat(p).startsWith("a1.sources.r1.kafka.bootstrap.servers"
                        + " (missing): is required"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.sources.r1.kafka.topics (missing): at least one Kafka"
                        + " topic must be given"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.channels.c1.kafka.bootstrap.servers (missing)"))
                .anySatisfy(p -> assertThat(p).startsWith("a1.sinks.k1.kafka.bootstrap.servers (missing)"));
    }

    @Test
    void apacheFlumeDeprecatedKeysStillWorkWithAWarning() throws Exception {
        Agent agent = build(String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = kafka", "a1.sources.r1.channels = c1",
                "a1.sources.r1.kafka.bootstrap.servers = 127.0.0.1:9",
                "a1.sources.r1.topic = old-topic",
                "a1.sources.r1.groupId = old-group",
                "a1.channels.c1.type = org.apache.flume.channel.kafka.KafkaChannel",
                "a1.channels.c1.brokerList = 127.0.0.1:9",
                "a1.channels.c1.topic = old-channel",
                "a1.channels.c1.groupId = old-channel-group",
                "a1.channels.c1.readSmallestOffset = false",
                "a1.channels.c1.pollTimeout = 250",
                "a1.sinks.k1.type = kafka", "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.brokerList = 127.0.0.1:9",
                "a1.sinks.k1.topic = old-out",
                "a1.sinks.k1.batchSize = 7",
                "a1.sinks.k1.requiredAcks = 1"));
        KafkaSourceConfig source = ((KafkaSource) agent.sources().get("r1")).config();
        assertThat(source.topics()).containsExactly("old-topic");
        assertThat(source.groupId()).isEqualTo("old-group");
        KafkaChannelConfig channel = ((KafkaChannel) agent.channels().get("c1")).config();
        assertThat(channel.topic()).isEqualTo("old-channel");
        assertThat(channel.groupId()).isEqualTo("old-channel-group");
        assertThat(channel.bootstrapServers()).isEqualTo("127.0.0.1:9");
        assertThat(channel.pollTimeoutMillis()).isEqualTo(250);
        assertThat(channel.consumerProperties()).containsEntry("auto.offset.reset", "latest");
        KafkaSinkConfig sink = ((KafkaSink) agent.sinks().get("k1")).config();
        assertThat(sink.topic()).isEqualTo("old-out");
        assertThat(sink.batchSize()).isEqualTo(7);
        assertThat(sink.acks()).isEqualTo("1");
        assertThat(agent.report().warnings()).filteredOn(w -> w.contains("deprecated")).hasSize(10);
    }

    @Test
    void theChannelsClientsBatchMoreThanKafkasDefaultsUnlessTheUserSaysOtherwise() throws Exception {
        String channel = String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = seq", "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = org.apache.flume.channel.kafka.KafkaChannel",
                "a1.channels.c1.kafka.bootstrap.servers = 127.0.0.1:9",
                "a1.sinks.k1.type = null", "a1.sinks.k1.channel = c1");
        KafkaChannelConfig defaults = ((KafkaChannel) build(channel).channels().get("c1")).config();
        assertThat(defaults.producerProperties()).containsEntry("batch.size", 262_144)
                .containsEntry("linger.ms", 1000).containsEntry("acks", "all");
        assertThat(defaults.consumerProperties()).containsEntry("max.poll.records", 1000);
        KafkaChannelConfig set = ((KafkaChannel) build(String.join("\n", channel,
                "a1.channels.c1.kafka.producer.batch.size = 16384", "a1.channels.c1.kafka.producer.linger.ms = 5",
                "a1.channels.c1.kafka.consumer.max.poll.records = 500")).channels().get("c1")).config();
        assertThat(set.producerProperties()).containsEntry("batch.size", "16384").containsEntry("linger.ms", "5");
        assertThat(set.consumerProperties()).containsEntry("max.poll.records", "500");
    }

    @Test
    void theChannelsOffsetCommitIntervalIsReadAndCheckedForItsRange() throws Exception {
        String channel = String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = seq", "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = org.apache.flume.channel.kafka.KafkaChannel",
                "a1.channels.c1.kafka.bootstrap.servers = 127.0.0.1:9",
                "a1.sinks.k1.type = null", "a1.sinks.k1.channel = c1");
        assertThat(((KafkaChannel) build(channel).channels().get("c1")).config().offsetCommitIntervalMillis())
                .isEqualTo(100);
        assertThat(((KafkaChannel) build(channel + "\na1.channels.c1.sluice.offsetCommitIntervalMs = 0").channels()
                .get("c1")).config().offsetCommitIntervalMillis()).isZero();
        assertThat(problems(validate(channel + "\na1.channels.c1.sluice.offsetCommitIntervalMs = -1")))
                .anySatisfy(p -> assertThat(p).startsWith("a1.channels.c1.sluice.offsetCommitIntervalMs = -1:")
                        .contains("between 0 and 60000"));
        assertThat(problems(validate(channel + "\na1.channels.c1.sluice.offsetCommitIntervalMs = soon")))
                .anySatisfy(p -> assertThat(p).startsWith("a1.channels.c1.sluice.offsetCommitIntervalMs = soon:"));
    }

    @Test
    void topicsAreSplitOnCommasAndARegexWins() throws Exception {
        Agent agent = build(SOURCE_TO_SINK.replace("kafka.topics = in", "kafka.topics = a , b,c"));
        assertThat(((KafkaSource) agent.sources().get("r1")).config().topics()).containsExactly("a", "b", "c");
        agent = build(SOURCE_TO_SINK + "\na1.sources.r1.kafka.topics.regex = logs-.*");
        assertThat(((KafkaSource) agent.sources().get("r1")).config().topicsRegex()).isPresent();
        assertThat(problems(validate(SOURCE_TO_SINK + "\na1.sources.r1.kafka.topics.regex = logs-(")))
                .anySatisfy(p -> assertThat(p).startsWith("a1.sources.r1.kafka.topics.regex = logs-(: is not a"
                        + " regular expression"));
    }

    @Test
    void sinkTopicTakesHeadersAsApacheFlumeDoes() throws Exception {
        Agent agent = build(SOURCE_TO_SINK.replace("kafka.topic = out", "kafka.topic = logs-%{app}-x"));
        KafkaSinkConfig sink = ((KafkaSink) agent.sinks().get("k1")).config();
        assertThat(sink.topicFor(Map.of("app", "web"))).isEqualTo("logs-web-x");
        assertThat(sink.topicFor(Map.of("app", "web", "topic", "override"))).isEqualTo("override");
        assertThat(sink.topicFor(Map.of())).isEqualTo("logs--x");
    }

    private static final String EXACTLY_ONCE = SOURCE_TO_SINK + "\n" + String.join("\n",
            "a1.sinks.k1.kafka.exactlyOnce = true",
            "a1.sinks.k1.allowTopicOverride = false");

    @Test
    void exactlyOnceWithOneKafkaSourceIsAcceptedAndTakesOverTheOffsetCommits() throws Exception {
        Agent agent = build(EXACTLY_ONCE);
        assertThat(((KafkaSource) agent.sources().get("r1")).offsetCommitsHandedOff()).isTrue();
        assertThat(((KafkaSink) agent.sinks().get("k1")).config().producerProperties())
                .containsEntry("transactional.id", "sluice-a1-k1")
                .containsEntry("enable.idempotence", "true")
                .containsEntry("acks", "all");
    }

    @Test
    void exactlyOnceRefusesAFanInFromANonKafkaSource() {
        ValidationReport r = validate(EXACTLY_ONCE.replace("a1.sources = r1", "a1.sources = r1 r2") + "\n"
                + "a1.sources.r2.type = seq\na1.sources.r2.channels = c1");
        assertThat(problems(r)).anySatisfy(p -> assertThat(p).startsWith("a1.sinks.k1.kafka.exactlyOnce = true: channel"
                + " c1 is also fed by [r2 (not a Kafka source)]"));
    }

    @Test
    void exactlyOnceRefusesSetUpsWhereItCannotHold() {
        assertThat(problems(validate(EXACTLY_ONCE.replace("a1.sources.r1.type = org.apache.flume.source.kafka"
                + ".KafkaSource", "a1.sources.r1.type = seq"))))
                .anySatisfy(p -> assertThat(p).contains("no Kafka source feeds channel c1"));
        assertThat(problems(validate(EXACTLY_ONCE.replace("allowTopicOverride = false", "allowTopicOverride = true"))))
                .anySatisfy(p -> assertThat(p).startsWith("a1.sinks.k1.allowTopicOverride = true: would send every event"
                        + " back to the topic it was read from"));
        assertThat(problems(validate(EXACTLY_ONCE.replace("a1.sinks = k1", "a1.sinks = k1 k2") + "\n"
                + "a1.sinks.k2.type = null\na1.sinks.k2.channel = c1")))
                .anySatisfy(p -> assertThat(p).contains("channel c1 is read by sinks [k1, k2]"));
        assertThat(problems(validate(EXACTLY_ONCE.replace("a1.channels = c1", "a1.channels = c1 c2")
                .replace("a1.sources.r1.channels = c1", "a1.sources.r1.channels = c1 c2") + "\n"
                + "a1.channels.c2.type = memory")))
                .anySatisfy(p -> assertThat(p).startsWith("a1.sources.r1.channels = c1 c2: the Kafka source feeding"
                        + " exactly-once sink a1.sinks.k1 writes to other channels too"));
        assertThat(problems(validate(EXACTLY_ONCE + "\na1.sinks.k1.kafka.producer.acks = 1")))
                .anySatisfy(p -> assertThat(p).startsWith("a1.sinks.k1.kafka.producer.acks = 1: must be all when"
                        + " kafka.exactlyOnce is true"));
    }
}
