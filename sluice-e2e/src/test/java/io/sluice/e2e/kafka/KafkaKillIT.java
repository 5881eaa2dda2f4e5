package io.sluice.e2e.kafka;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.SluiceCli;
import io.sluice.kafka.testing.KafkaBroker;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real {@code sluice agent} copies a topic to another and is killed with {@code kill -9} at random
 * moments, then restarted, while one broker runs in the test process. With
 * {@code kafka.exactlyOnce = true} and a memory channel, a {@code read_committed} consumer of the
 * output must see every input record exactly once; with plain at-least-once and a file channel,
 * every record at least once (duplicates are counted and reported).
 */
class KafkaKillIT {
    /** Records copied by the exactly-once test; -Dkafka.kill.records=1000000 for the full run. */
    private static final int RECORDS = Integer.getInteger("kafka.kill.records", 50_000);
    private static final int KILLS = Integer.getInteger("kafka.kill.count", 20);
    private static final int PARTITIONS = 3;

    @TempDir
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(dir.resolve("broker"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void exactlyOnceSurvivesTwentyKillNines() throws Exception {
        Input input = new Input("eo-in", RECORDS);
        broker.createTopic("eo-out", PARTITIONS);
        Path work = dir.resolve("eo");
        Path conf = copyAgent(work, "eo-in", "eo-out", "eo", 500)
                .set("sinks.k1.kafka.exactlyOnce", true)
                .set("channels.c1.type", "memory")
                .set("channels.c1.capacity", 20000)
                .set("channels.c1.transactionCapacity", 2000)
                .writeTo(work);
        long started = System.nanoTime();
        int kills = killRepeatedly(work, conf, "eo", input, new Random(15L), KILLS);
        finish(work, conf, "eo", input.records);
        double seconds = (System.nanoTime() - started) / 1e9;

        long[] stats = tally("eo-out", input.records);
        System.out.printf("KafkaKillIT exactly-once: records=%d kills=%d distinct=%d missing=%d duplicates=%d"
                + " seconds=%.1f%n", input.records, kills, stats[0], stats[1], stats[2], seconds);
        assertThat(kills).as("kill -9s that landed while records were still being copied").isEqualTo(KILLS);
        assertThat(stats[1]).as("input records missing from the output").isZero();
        assertThat(stats[2]).as("input records written twice").isZero();
    }

    @Test
    void atLeastOnceWithAFileChannelLosesNothingAcrossKillNines() throws Exception {
        Input input = new Input("alo-in", 20_000);
        broker.createTopic("alo-out", PARTITIONS);
        Path work = dir.resolve("alo");
        Path conf = copyAgent(work, "alo-in", "alo-out", "alo", 2000)
                .set("channels.c1.type", "file")
                .set("channels.c1.checkpointDir", work.resolve("checkpoint"))
                .set("channels.c1.dataDirs", work.resolve("data"))
                .set("channels.c1.checkpointInterval", 500)
                .writeTo(work);
        int kills = killRepeatedly(work, conf, "alo", input, new Random(16L), 3);
        finish(work, conf, "alo", input.records);

        long[] stats = tally("alo-out", input.records);
        System.out.printf("KafkaKillIT at-least-once: records=%d kills=%d distinct=%d missing=%d duplicates=%d%n",
                input.records, kills, stats[0], stats[1], stats[2]);
        assertThat(kills).as("kill -9s that landed while records were still being copied").isEqualTo(3);
        assertThat(stats[1]).as("input records lost").isZero();
    }

    @Test
    void atLeastOnceWithAKafkaChannelLosesNothingAcrossKillNines() throws Exception {
        // The source commits only what the Kafka channel acknowledged as put; the channel's takes commit only
        // what the sink's producer acknowledged: whatever a kill -9 interrupts comes again, nothing is lost.
        Input input = new Input("kch-in", 20_000);
        broker.createTopic("kch-out", PARTITIONS);
        broker.createTopic("kch-channel", PARTITIONS);
        Path work = dir.resolve("kch");
        Path conf = copyAgent(work, "kch-in", "kch-out", "kch", 2000)
                .set("channels.c1.type", "kafka")
                .set("channels.c1.kafka.bootstrap.servers", broker.bootstrapServers())
                .set("channels.c1.kafka.topic", "kch-channel")
                .set("channels.c1.kafka.consumer.group.id", "kch-channel")
                // Static membership, as the source's: a restarted agent's takes go on at once.
                .set("channels.c1.kafka.consumer.group.instance.id", "a1-c1")
                .writeTo(work);
        int kills = killRepeatedly(work, conf, "kch", input, new Random(17L), 3);
        int records = input.records;
        try (ChildProcess agent = SluiceCli.startAgent("kch-final", work, conf, "a1")) {
            try {
                await("every record copied through the Kafka channel").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> committed("kch") >= records && tally("kch-out", records)[1] == 0);
            } catch (Throwable t) {
                throw new AssertionError("final agent run failed\n" + agent.tail(), t);
            }
            agent.terminate();
            agent.awaitExit(Duration.ofSeconds(30));
        }

        long[] stats = tally("kch-out", records);
        System.out.printf("KafkaKillIT Kafka channel: records=%d kills=%d distinct=%d missing=%d duplicates=%d%n",
                records, kills, stats[0], stats[1], stats[2]);
        assertThat(kills).as("kill -9s that landed while records were still being copied").isEqualTo(3);
        assertThat(stats[1]).as("input records lost").isZero();
    }

    /**
     * A topic-to-topic copier; {@code batch} records per source batch and sink transaction. A run copies at
     * least one batch before its kill lands: the exactly-once test uses 500 (with 2000 its 20 runs used up
     * the 50,000 records after 18 or 19 kills).
     */
    private static AgentConfig copyAgent(Path work, String in, String out, String group, int batch) {
        return AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .set("sources.r1.type", "kafka")
                .set("sources.r1.channels", "c1")
                .set("sources.r1.kafka.bootstrap.servers", broker.bootstrapServers())
                .set("sources.r1.kafka.topics", in)
                .set("sources.r1.kafka.consumer.group.id", group)
                .set("sources.r1.kafka.consumer.auto.offset.reset", "earliest")
                // Static membership: a restarted agent takes its partitions back at once instead of waiting
                // for the killed one's session to time out.
                .set("sources.r1.kafka.consumer.group.instance.id", "a1-r1")
                .set("sources.r1.batchSize", batch)
                .set("sources.r1.batchDurationMillis", 50)
                .set("sinks.k1.type", "kafka")
                .set("sinks.k1.channel", "c1")
                .set("sinks.k1.kafka.bootstrap.servers", broker.bootstrapServers())
                .set("sinks.k1.kafka.topic", out)
                .set("sinks.k1.allowTopicOverride", false)
                .set("sinks.k1.flumeBatchSize", batch)
                .set("sinks.k1.kafka.producer.linger.ms", 5);
    }

    /**
     * Starts the agent, waits until its group committed a random further step, kills it; {@code kills} times.
     * Before each run the input grows when fewer than {@link Input#RESERVE} records are left to copy, so that
     * every kill lands while records are still being copied, however fast the machine copies them.
     */
    private int killRepeatedly(Path work, Path conf, String group, Input input, Random rnd, int kills)
            throws Exception {
        // Each run copies up to `step` records past the last commit before its kill, plus what it copies
        // between reaching that target and dying (up to a whole transaction of the exactly-once sink).
        int step = Math.max(1, input.records / (4 * (kills + 2)));
        int done = 0;
        for (int k = 1; k <= kills; k++) {
            long before = committed(group);
            input.keepAhead(before);
            long target = before + 1 + rnd.nextInt(step);
            ChildProcess agent = SluiceCli.startAgent(group + "-" + k, work, conf, "a1");
            try {
                await(group + " commits past " + target + " in run " + k).atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(20))
                        .until(() -> committed(group) >= target);
            } catch (Throwable t) {
                throw new AssertionError("agent run " + k + " failed\n" + agent.tail(), t);
            } finally {
                agent.kill();
            }
            if (committed(group) < input.records) {
                done++;
            }
        }
        return done;
    }

    /** An input topic of the numbers 0 to {@code records - 1}, which grows on demand. */
    private static final class Input {
        /** Records kept ahead of the last commit before each run: several runs' worth on a fast machine. */
        static final int RESERVE = 25_000;
        final String topic;
        int records;

        Input(String topic, int records) throws Exception {
            this.topic = topic;
            broker.createTopic(topic, PARTITIONS);
            append(topic, 0, records);
            this.records = records;
        }

        /** Adds records until at least {@link #RESERVE} are left past {@code committed}. */
        void keepAhead(long committed) throws Exception {
            long left = records - committed;
            if (left < RESERVE) {
                int more = (int) (RESERVE - left);
                append(topic, records, more);
                records += more;
            }
        }
    }

    private void finish(Path work, Path conf, String group, int records) throws Exception {
        try (ChildProcess agent = SluiceCli.startAgent(group + "-final", work, conf, "a1")) {
            try {
                await(group + " commits every record").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100))
                        .until(() -> committed(group) >= records);
            } catch (Throwable t) {
                throw new AssertionError("final agent run failed\n" + agent.tail(), t);
            }
            agent.terminate();
            agent.awaitExit(Duration.ofSeconds(30));
        }
    }

    /** Sends the numbers {@code from} to {@code from + count - 1} to {@code topic}. */
    private static void append(String topic, int from, int count) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = broker.producer(Map.of("linger.ms", 20, "batch.size", 262144))) {
            for (int i = from; i < from + count; i++) {
                p.send(new ProducerRecord<>(topic, String.valueOf(i).getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
    }

    private static long committed(String group) throws Exception {
        try (Admin admin = broker.admin()) {
            Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets(group)
                    .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
            long total = 0;
            for (OffsetAndMetadata o : offsets.values()) {
                total += o == null ? 0 : o.offset();
            }
            return total;
        }
    }

    /** {distinct, missing, duplicates} of the numbers 0..records-1 in {@code topic} (read_committed). */
    private static long[] tally(String topic, int records) {
        byte[] counts = new byte[records];
        long duplicates = 0;
        List<ConsumerRecord<byte[], byte[]>> all = broker.readAll(topic, "read_committed");
        for (ConsumerRecord<byte[], byte[]> r : all) {
            int n = Integer.parseInt(new String(r.value(), StandardCharsets.UTF_8));
            if (counts[n] > 0) {
                duplicates++;
            }
            counts[n] = (byte) Math.min(counts[n] + 1, 100);
        }
        long distinct = 0;
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < records; i++) {
            if (counts[i] > 0) {
                distinct++;
            } else {
                missing.add(i);
            }
        }
        return new long[] {distinct, missing.size(), duplicates};
    }
}
