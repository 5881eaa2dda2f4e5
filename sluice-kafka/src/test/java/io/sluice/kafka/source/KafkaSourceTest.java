package io.sluice.kafka.source;

import io.sluice.api.Event;
import io.sluice.kafka.FlumeEventCodec;
import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.testing.CollectingSink;
import io.sluice.testing.EmbeddedAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The Kafka source against one real broker (KRaft, 127.0.0.1, ephemeral ports) shared by the class. */
class KafkaSourceTest {
    @TempDir
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(dir);
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static String agent(String topic, String group, String extraSource, String sinkKeys) {
        return String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = org.apache.flume.source.kafka.KafkaSource",
                "a1.sources.r1.channels = c1",
                "a1.sources.r1.kafka.bootstrap.servers = " + broker.bootstrapServers(),
                "a1.sources.r1.kafka.topics = " + topic,
                "a1.sources.r1.kafka.consumer.group.id = " + group,
                "a1.sources.r1.kafka.consumer.auto.offset.reset = earliest",
                "a1.sources.r1.batchSize = 10",
                "a1.sources.r1.batchDurationMillis = 100",
                extraSource,
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 10",
                "a1.channels.c1.transactionCapacity = 10",
                "a1.channels.c1.keep-alive = 0",
                "a1.sinks.k1.type = collecting",
                "a1.sinks.k1.batchSize = 10",
                sinkKeys,
                "a1.sinks.k1.channel = c1");
    }

    @Test
    void setsFlumesHeadersAndCopiesRecordHeaders() throws Exception {
        broker.createTopic("src-headers", 1);
        try (KafkaProducer<byte[], byte[]> p = broker.producer(Map.of())) {
            ProducerRecord<byte[], byte[]> r = new ProducerRecord<>("src-headers", null, 1_700_000_000_000L,
                    "user-7".getBytes(StandardCharsets.UTF_8), "hello".getBytes(StandardCharsets.UTF_8),
                    List.of(new RecordHeader("trace", "t-1".getBytes(StandardCharsets.UTF_8))));
            p.send(r).get();
            p.send(new ProducerRecord<>("src-headers", "no key".getBytes(StandardCharsets.UTF_8))).get();
        }
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("src-headers", "g-headers",
                "a1.sources.r1.header.traceId = trace", ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 2);
            Event first = sink.events().get(0);
            assertThat(first.bodyAsString()).isEqualTo("hello");
            assertThat(first.headers()).containsEntry("topic", "src-headers").containsEntry("partition", "0")
                    .containsEntry("offset", "0").containsEntry("timestamp", "1700000000000")
                    .containsEntry("key", "user-7").containsEntry("traceId", "t-1");
            assertThat(sink.events().get(1).headers()).containsEntry("offset", "1").doesNotContainKey("key")
                    .doesNotContainKey("traceId");
        }
    }

    @Test
    void plainRecordsGetFlumesHeadersInOrderWithAndWithoutAKey() throws Exception {
        broker.createTopic("src-plain", 1);
        try (KafkaProducer<byte[], byte[]> p = broker.producer(Map.of())) {
            p.send(new ProducerRecord<>("src-plain", null, 1_700_000_000_000L, "user-7".getBytes(StandardCharsets.UTF_8),
                    "keyed".getBytes(StandardCharsets.UTF_8))).get();
            p.send(new ProducerRecord<>("src-plain", null, 1_700_000_000_000L, null,
                    "plain".getBytes(StandardCharsets.UTF_8))).get();
            p.send(new ProducerRecord<>("src-plain", null, 1_700_000_000_001L, null, (byte[]) null)).get();
        }
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("src-plain", "g-plain",
                "a1.sources.r1.topicHeader = kafkaTopic", ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 3);
            List<Event> got = sink.events();
            assertThat(got.get(0).headers()).containsExactly(Map.entry("timestamp", "1700000000000"),
                    Map.entry("kafkaTopic", "src-plain"), Map.entry("partition", "0"), Map.entry("offset", "0"),
                    Map.entry("key", "user-7"));
            assertThat(got.get(1).headers()).containsExactly(Map.entry("timestamp", "1700000000000"),
                    Map.entry("kafkaTopic", "src-plain"), Map.entry("partition", "0"), Map.entry("offset", "1"));
            assertThat(got.get(2).headers()).containsEntry("timestamp", "1700000000001").containsEntry("offset", "2");
            assertThat(got.get(2).body()).isEmpty();
        }
        // No topic header, and a topic header named like another one: the same headers as Apache Flume sets.
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("src-plain", "g-plain-2",
                "a1.sources.r1.setTopicHeader = false", ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 3);
            assertThat(sink.events().get(1).headers()).containsExactly(Map.entry("timestamp", "1700000000000"),
                    Map.entry("partition", "0"), Map.entry("offset", "1"));
        }
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("src-plain", "g-plain-3",
                "a1.sources.r1.topicHeader = key", ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 3);
            assertThat(sink.events().get(0).headers()).containsEntry("key", "user-7").hasSize(4);
            assertThat(sink.events().get(1).headers()).containsEntry("key", "src-plain").hasSize(4);
        }
    }

    @Test
    void readsApacheFlumeAvroEventsWithTheirHeadersWhenAsked() throws Exception {
        broker.createTopic("src-avro", 1);
        Event sent = Event.builder().header("host", "web-1").header("timestamp", "42").body("payload").build();
        broker.produce("src-avro", List.of(FlumeEventCodec.encode(sent)));
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("src-avro", "g-avro",
                "a1.sources.r1.useFlumeEventFormat = true\na1.sources.r1.setTopicHeader = false", ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 1);
            Event got = sink.events().get(0);
            assertThat(got.bodyAsString()).isEqualTo("payload");
            assertThat(got.headers()).containsEntry("host", "web-1").containsEntry("timestamp", "42")
                    .containsEntry("partition", "0").containsEntry("offset", "0").doesNotContainKey("topic");
        }
    }

    @Test
    void commitsOffsetsOnlyForBatchesTheChannelAccepted() throws Exception {
        broker.createTopic("src-commit", 1);
        broker.produce("src-commit", numbers(50));
        // The sink fails, so the channel (capacity 10) fills with the first batch and refuses every later one.
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("src-commit", "g-commit", "",
                "a1.sinks.k1.failing = true"))) {
            a.awaitCounter("SOURCE", "r1", "ChannelWriteFail", 2, Duration.ofSeconds(30));
            // The commit is asynchronous: it arrives soon after the put, and never covers the refused batch.
            await().atMost(Duration.ofSeconds(10)).until(() -> committed("g-commit", "src-commit") == 10);
            long refused = a.counter("SOURCE", "r1", "ChannelWriteFail");
            a.awaitCounter("SOURCE", "r1", "ChannelWriteFail", refused + 3, Duration.ofSeconds(30));
            assertThat(committed("g-commit", "src-commit")).isEqualTo(10);
        }
        // The 10 in the memory channel were lost with the agent (they were committed); the other 40 were not.
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("src-commit", "g-commit", "", ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 40);
            List<String> expected = new ArrayList<>();
            for (int i = 10; i < 50; i++) {
                expected.add(String.valueOf(i));
            }
            assertThat(sink.bodies()).containsExactlyElementsOf(expected);
            await().atMost(Duration.ofSeconds(10)).until(() -> committed("g-commit", "src-commit") == 50);
        }
    }

    @Test
    void stoppingCommitsEveryAcceptedBatchSoARestartReadsNothingTwice() throws Exception {
        broker.createTopic("src-stop", 1);
        broker.produce("src-stop", numbers(30));
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("src-stop", "g-stop", "", ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 30);
        }
        // The stop waited for the last commit: no need to poll for it.
        assertThat(committed("g-stop", "src-stop")).isEqualTo(30);
        broker.produce("src-stop", List.of("30".getBytes(StandardCharsets.UTF_8)));
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("src-stop", "g-stop", "", ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 1);
            assertThat(sink.bodies()).containsExactly("30");
        }
    }

    @Test
    void batchesSpanningPartitionsCommitEachPartitionsLastOffset() throws Exception {
        broker.createTopic("src-spread", 3);
        try (KafkaProducer<byte[], byte[]> p = broker.producer(Map.of())) {
            for (int i = 0; i < 21; i++) {
                p.send(new ProducerRecord<>("src-spread", i % 3, null, String.valueOf(i).getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("src-spread", "g-spread", "", ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 21);
            for (int partition = 0; partition < 3; partition++) {
                String text = String.valueOf(partition);
                assertThat(sink.events()).filteredOn(e -> text.equals(e.header("partition")))
                        .extracting(e -> e.header("offset")).containsExactly("0", "1", "2", "3", "4", "5", "6");
            }
        }
        for (int partition = 0; partition < 3; partition++) {
            assertThat(committed("g-spread", "src-spread", partition)).as("partition " + partition).isEqualTo(7);
        }
    }

    @Test
    void oneCommitAtATimeCarriesTheBatchesAcceptedMeanwhile() throws Exception {
        broker.createTopic("src-coalesce", 1);
        broker.produce("src-coalesce", numbers(3000));
        // 300 batches of 10 into a channel with room for all of them: batches are accepted far faster than
        // commits are answered, and the source is still running when the last offset must be committed.
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("src-coalesce", "g-coalesce", "", String.join("\n",
                "a1.channels.c1.capacity = 10000", "a1.channels.c1.transactionCapacity = 100",
                "a1.sinks.k1.batchSize = 100")))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 3000);
            assertThat(a.counter("SOURCE", "r1", "AppendBatchAcceptedCount")).isGreaterThanOrEqualTo(300);
            await().atMost(Duration.ofSeconds(10)).until(() -> committed("g-coalesce", "src-coalesce") == 3000);
            assertThat(a.source("r1", KafkaSource.class).mostCommitsInFlight()).isEqualTo(1);
        }
    }

    /** The numbers 0 to {@code n - 1} as record values. */
    private static List<byte[]> numbers(int n) {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            bodies.add(String.valueOf(i).getBytes(StandardCharsets.UTF_8));
        }
        return bodies;
    }

    private static long committed(String group, String topic) throws Exception {
        return committed(group, topic, 0);
    }

    private static long committed(String group, String topic, int partition) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            OffsetAndMetadata o = offsets.get(new TopicPartition(topic, partition));
            return o == null ? -1 : o.offset();
        }
    }
}
