package io.sluice.kafka.sink;

import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.testing.EmbeddedAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** kafka.exactlyOnce from topic to topic in one agent, against one real broker shared by the class. */
class ExactlyOnceTest {
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

    static String agent(String in, String out, String channel, String sinkExtra) {
        return String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = kafka", "a1.sources.r1.channels = c1",
                "a1.sources.r1.kafka.bootstrap.servers = " + broker.bootstrapServers(),
                "a1.sources.r1.kafka.topics = " + in,
                "a1.sources.r1.kafka.consumer.group.id = eo-" + in,
                "a1.sources.r1.kafka.consumer.auto.offset.reset = earliest",
                "a1.sources.r1.batchSize = 500", "a1.sources.r1.batchDurationMillis = 50",
                channel,
                "a1.sinks.k1.type = kafka", "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.kafka.bootstrap.servers = " + broker.bootstrapServers(),
                "a1.sinks.k1.kafka.topic = " + out,
                "a1.sinks.k1.allowTopicOverride = false",
                "a1.sinks.k1.flumeBatchSize = 500",
                "a1.sinks.k1.kafka.exactlyOnce = true",
                sinkExtra);
    }

    static final String MEMORY = "a1.channels.c1.type = memory\na1.channels.c1.capacity = 20000\n"
            + "a1.channels.c1.transactionCapacity = 1000";

    private static void fill(String topic, int from, int to) {
        fill(broker, topic, from, to);
    }

    /** Produces the numbers {@code from} to {@code to - 1}, as text, to {@code topic}. */
    static void fill(KafkaBroker b, String topic, int from, int to) {
        List<byte[]> bodies = new ArrayList<>();
        for (int i = from; i < to; i++) {
            bodies.add(String.valueOf(i).getBytes(StandardCharsets.UTF_8));
        }
        b.produce(topic, bodies);
    }

    private static Map<String, Integer> counts(String topic) {
        return counts(broker, topic);
    }

    /** How often each value occurs in {@code topic}, read as a read_committed consumer. */
    static Map<String, Integer> counts(KafkaBroker b, String topic) {
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : b.readAll(topic, "read_committed")) {
            seen.merge(new String(r.value(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        return seen;
    }

    @Test
    void copiesEveryRecordOnceAndCommitsTheSourceOffsetsInTheTransaction() throws Exception {
        broker.createTopic("eo-in", 3);
        broker.createTopic("eo-out", 3);
        fill("eo-in", 0, 5000);
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("eo-in", "eo-out", MEMORY, ""))) {
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 5000, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(() -> committedTotal("eo-eo-in", "eo-in") == 5000);
        }
        Map<String, Integer> seen = counts("eo-out");
        assertThat(seen).hasSize(5000);
        assertThat(seen.values()).allMatch(n -> n == 1);
    }

    @Test
    void aStoppedAndRestartedAgentWithAFileChannelWritesNothingTwice() throws Exception {
        broker.createTopic("eo-file-in", 2);
        broker.createTopic("eo-file-out", 1);
        fill("eo-file-in", 0, 3000);
        String file = "a1.channels.c1.type = file\na1.channels.c1.checkpointDir = " + dir.resolve("cp")
                + "\na1.channels.c1.dataDirs = " + dir.resolve("data");
        String config = agent("eo-file-in", "eo-file-out", file, "");
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", config)) {
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 1000, Duration.ofSeconds(60));
        }
        fill("eo-file-in", 3000, 4000);
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", config)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> committedTotal("eo-eo-file-in", "eo-file-in") == 4000);
        }
        Map<String, Integer> seen = counts("eo-file-out");
        assertThat(seen).hasSize(4000);
        assertThat(seen.values()).allMatch(n -> n == 1);
    }

    private static long committedTotal(String group, String topic) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long total = 0;
            for (Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet()) {
                if (e.getKey().topic().equals(topic) && e.getValue() != null) {
                    total += e.getValue().offset();
                }
            }
            return total;
        }
    }
}
