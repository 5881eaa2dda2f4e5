package io.sluice.kafka.sink;

import io.sluice.api.Event;
import io.sluice.kafka.FlumeEventCodec;
import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.testing.EmbeddedAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
/** The Kafka sink against one real broker (KRaft, 127.0.0.1, ephemeral ports) shared by the class. */
class KafkaSinkTest {
    private static final Logger LOG = LoggerFactory.getLogger(KafkaSinkTest.class);
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

    private static String agent(String source, String sinkKeys) {
        return String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                source,
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = memory",
                "a1.channels.c1.capacity = 100000",
                "a1.channels.c1.transactionCapacity = 1000",
                "a1.sinks.k1.type = org.apache.flume.sink.kafka.KafkaSink",
                "a1.sinks.k1.kafka.bootstrap.servers = " + broker.bootstrapServers(),
                sinkKeys,
                "a1.sinks.k1.channel = c1");
    }

    @Test
    void writesKeyPartitionTimestampHeadersAndTheFlumeEventFormat() throws Exception {
        broker.createTopic("sink-fields", 3);
        broker.createTopic("sink-override", 1);
        String source = String.join("\n", "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = 3",
                "a1.sources.r1.interceptors = i1 i2 i3 i4",
                "a1.sources.r1.interceptors.i1.type = static", "a1.sources.r1.interceptors.i1.key = key",
                "a1.sources.r1.interceptors.i1.value = k-1",
                "a1.sources.r1.interceptors.i2.type = static", "a1.sources.r1.interceptors.i2.key = part",
                "a1.sources.r1.interceptors.i2.value = 2",
                "a1.sources.r1.interceptors.i3.type = static", "a1.sources.r1.interceptors.i3.key = ts",
                "a1.sources.r1.interceptors.i3.value = 1600000000000",
                "a1.sources.r1.interceptors.i4.type = static", "a1.sources.r1.interceptors.i4.key = trace",
                "a1.sources.r1.interceptors.i4.value = t-9");
        String sink = String.join("\n", "a1.sinks.k1.kafka.topic = sink-fields",
                "a1.sinks.k1.partitionIdHeader = part", "a1.sinks.k1.timestampHeader = ts",
                "a1.sinks.k1.header.trace = X-Trace", "a1.sinks.k1.useFlumeEventFormat = true");
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent(source, sink))) {
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 3, Duration.ofSeconds(30));
        }
        List<ConsumerRecord<byte[], byte[]>> records = broker.readAll("sink-fields", "read_committed");
        assertThat(records).hasSize(3);
        for (ConsumerRecord<byte[], byte[]> r : records) {
            assertThat(r.partition()).isEqualTo(2);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("k-1");
            assertThat(r.timestamp()).isEqualTo(1_600_000_000_000L);
            assertThat(new String(r.headers().lastHeader("X-Trace").value(), StandardCharsets.UTF_8)).isEqualTo("t-9");
            Event e = FlumeEventCodec.decode(r.value());
            assertThat(e.headers()).containsEntry("trace", "t-9").containsEntry("key", "k-1");
        }

        String override = String.join("\n", "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = 2",
                "a1.sources.r1.interceptors = i1", "a1.sources.r1.interceptors.i1.type = static",
                "a1.sources.r1.interceptors.i1.key = topic", "a1.sources.r1.interceptors.i1.value = sink-override");
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent(override, "a1.sinks.k1.kafka.topic = unused"))) {
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 2, Duration.ofSeconds(30));
        }
        assertThat(broker.readAll("sink-override", "read_committed")).extracting(r -> new String(r.value(),
                StandardCharsets.UTF_8)).containsExactly("0", "1");
    }

    @Test
    void aBatchLeavesAtOnceWhateverLingerMsIsSet() throws Exception {
        // Kafka clients 4 hold records up to linger.ms (default 5 ms) hoping for more; the sink flushes each
        // batch after sending it, so a batch waits for its acknowledgements only, never for the linger.
        // With a 10-minute linger and batches that never fill, only that flush can let these events out.
        broker.createTopic("sink-linger", 1);
        String source = String.join("\n", "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = 30",
                "a1.sources.r1.batchSize = 10");
        String sink = String.join("\n", "a1.sinks.k1.kafka.topic = sink-linger", "a1.sinks.k1.flumeBatchSize = 10",
                "a1.sinks.k1.kafka.producer.linger.ms = 600000", "a1.sinks.k1.kafka.producer.batch.size = 1048576");
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent(source, sink))) {
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 30, Duration.ofSeconds(60));
        }
        assertThat(broker.readAll("sink-linger", "read_committed")).hasSize(30);
    }

    @Test
    void losesNothingWhenTheBrokerRestartsMidStream() throws Exception {
        int total = 20_000;
        broker.createTopic("sink-restart", 2);
        String source = String.join("\n", "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = " + total,
                "a1.sources.r1.batchSize = 100");
        String sink = String.join("\n", "a1.sinks.k1.kafka.topic = sink-restart", "a1.sinks.k1.flumeBatchSize = 100",
                "a1.sinks.k1.kafka.producer.request.timeout.ms = 1500",
                "a1.sinks.k1.kafka.producer.delivery.timeout.ms = 3000",
                "a1.sinks.k1.kafka.producer.max.block.ms = 3000");
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent(source, sink))) {
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 2_000, Duration.ofSeconds(60));
            broker.stop();
            a.awaitCounter("SINK", "k1", "EventWriteFail", 1, Duration.ofSeconds(60));
            long beforeRestart = a.counter("SINK", "k1", "EventDrainSuccessCount");
            broker.start();
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", total, Duration.ofSeconds(120));
            LOG.info("broker restart: {} delivered before, {} failed batches", beforeRestart,
                    a.counter("SINK", "k1", "EventWriteFail"));
            assertThat(a.counter("CHANNEL", "c1", "ChannelSize")).isZero();
        }
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll("sink-restart", "read_committed")) {
            seen.merge(new String(r.value(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        Set<String> missing = new HashSet<>();
        for (int i = 0; i < total; i++) {
            if (!seen.containsKey(String.valueOf(i))) {
                missing.add(String.valueOf(i));
            }
        }
        long duplicates = seen.values().stream().mapToInt(n -> n - 1).sum();
        LOG.info("broker restart: {} distinct of {}, {} missing, {} duplicate(s)", seen.size(), total, missing.size(),
                duplicates);
        assertThat(missing).as("acknowledged events lost").isEmpty();
    }
}
