package io.sluice.kafka.sink;

import io.sluice.api.Event;
import io.sluice.kafka.FlumeEventCodec;
import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.testing.EmbeddedAgent;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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
        restartMidStream("sink-restart", 1);
    }

    /**
     * Pipelined: with 4 batches in flight when the broker goes away, the failed batch and every later
     * one are rolled back and sent again in order. Each event's key is the last digit of its number,
     * so Kafka keeps each key in one partition; in every partition, the last copy of each event comes
     * in the order the events were made (copies sent before the failure never overtake the resend).
     */
    @Test
    void pipelinedBatchesLoseNothingAndKeepEachPartitionsOrderWhenTheBrokerRestarts() throws Exception {
        List<ConsumerRecord<byte[], byte[]>> records = restartMidStream("sink-restart-pipelined", 4);
        Map<Integer, Map<String, Integer>> lastIndex = new HashMap<>();
        Map<Integer, List<String>> byPartition = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            List<String> values = byPartition.computeIfAbsent(r.partition(), p -> new ArrayList<>());
            String v = new String(r.value(), StandardCharsets.UTF_8);
            lastIndex.computeIfAbsent(r.partition(), p -> new HashMap<>()).put(v, values.size());
            values.add(v);
        }
        for (Map.Entry<Integer, List<String>> e : byPartition.entrySet()) {
            Map<String, Integer> last = lastIndex.get(e.getKey());
            long previous = -1;
            List<String> values = e.getValue();
            for (int i = 0; i < values.size(); i++) {
                if (last.get(values.get(i)) != i) {
                    continue;
                }
                long n = Long.parseLong(values.get(i));
                assertThat(n).as("partition %d: the last copy of %d comes after that of %d", e.getKey(), n, previous)
                        .isGreaterThan(previous);
                previous = n;
            }
        }
    }

    /**
     * Sends 50,000 events through a sink with {@code inFlight} batches, stops the broker mid-stream (after
     * 2,000: the 4,000 more a quick machine delivers while the broker stops leave most still to send), starts it
     * again.
     */
    private List<ConsumerRecord<byte[], byte[]>> restartMidStream(String topic, int inFlight) throws Exception {
        int total = 50_000;
        broker.createTopic(topic, 2);
        String source = String.join("\n", "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = " + total,
                "a1.sources.r1.batchSize = 100", "a1.sources.r1.interceptors = i1",
                "a1.sources.r1.interceptors.i1.type = regex_extractor", "a1.sources.r1.interceptors.i1.regex = ([0-9])$",
                "a1.sources.r1.interceptors.i1.serializers = s1",
                "a1.sources.r1.interceptors.i1.serializers.s1.name = key");
        String sink = String.join("\n", "a1.sinks.k1.kafka.topic = " + topic, "a1.sinks.k1.flumeBatchSize = 100",
                "a1.sinks.k1.sluice.maxInFlightBatches = " + inFlight,
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
            LOG.info("broker restart ({} in flight): {} delivered before, {} failed batches", inFlight, beforeRestart,
                    a.counter("SINK", "k1", "EventWriteFail"));
            assertThat(a.counter("CHANNEL", "c1", "ChannelSize")).isZero();
        }
        List<ConsumerRecord<byte[], byte[]>> records = broker.readAll(topic, "read_committed");
        Map<String, Integer> seen = new HashMap<>();
        for (ConsumerRecord<byte[], byte[]> r : records) {
            seen.merge(new String(r.value(), StandardCharsets.UTF_8), 1, Integer::sum);
        }
        Set<String> missing = new HashSet<>();
        for (int i = 0; i < total; i++) {
            if (!seen.containsKey(String.valueOf(i))) {
                missing.add(String.valueOf(i));
            }
        }
        long duplicates = seen.values().stream().mapToInt(n -> n - 1).sum();
        LOG.info("broker restart ({} in flight): {} distinct of {}, {} missing, {} duplicate(s)", inFlight, seen.size(),
                total, missing.size(), duplicates);
        assertThat(missing).as("acknowledged events lost").isEmpty();
        return records;
    }
}
