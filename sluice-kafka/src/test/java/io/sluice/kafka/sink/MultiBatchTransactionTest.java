package io.sluice.kafka.sink;

import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.testing.EmbeddedAgent;
import io.sluice.testing.LogCapture;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Kafka transactions spanning several channel batches ({@code kafka.exactlyOnce.maxEvents},
 * {@code kafka.exactlyOnce.commitIntervalMs}), against one real broker shared by the class: each
 * transaction holds several batches and the output still holds every input record once; a
 * transaction made abortable by a record the producer cannot send is aborted and all its batches are sent again, once; a
 * fenced producer (fatal) loses nothing; and a stopped agent leaves no transaction open.
 */
class MultiBatchTransactionTest {
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

    /** Source batches of 200, sink batches of 200, transactions of up to 4000 events or 1 s. */
    private static String agent(String in, String out) {
        return String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = kafka", "a1.sources.r1.channels = c1",
                "a1.sources.r1.kafka.bootstrap.servers = " + broker.bootstrapServers(),
                "a1.sources.r1.kafka.topics = " + in,
                "a1.sources.r1.kafka.consumer.group.id = g-" + in,
                "a1.sources.r1.kafka.consumer.auto.offset.reset = earliest",
                "a1.sources.r1.batchSize = 200", "a1.sources.r1.batchDurationMillis = 50",
                "a1.channels.c1.type = memory", "a1.channels.c1.capacity = 40000",
                "a1.channels.c1.transactionCapacity = 2000",
                "a1.sinks.k1.type = kafka", "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.kafka.bootstrap.servers = " + broker.bootstrapServers(),
                "a1.sinks.k1.kafka.topic = " + out,
                "a1.sinks.k1.allowTopicOverride = false",
                "a1.sinks.k1.flumeBatchSize = 200",
                "a1.sinks.k1.kafka.exactlyOnce = true",
                "a1.sinks.k1.kafka.exactlyOnce.maxEvents = 4000",
                "a1.sinks.k1.kafka.exactlyOnce.commitIntervalMs = 1000",
                "a1.sinks.k1.kafka.producer.linger.ms = 5", "");
    }

    @Test
    void aTransactionHoldsSeveralBatchesAndEveryRecordIsWrittenOnce() throws Exception {
        broker.createTopic("multi-in", 3);
        broker.createTopic("multi-out", 3);
        ExactlyOnceTest.fill(broker, "multi-in", 0, 20_000);
        long commits;
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("multi-in", "multi-out"))) {
            await().atMost(Duration.ofSeconds(90)).until(() -> committedTotal("g-multi-in") == 20_000);
            commits = a.counter("SINK", "k1", ExactlyOnceDelivery.COMMIT_COUNTER);
            assertThat(a.counter("SINK", "k1", "EventDrainSuccessCount")).isEqualTo(20_000);
            assertThat(a.counter("SINK", "k1", ExactlyOnceDelivery.ABORT_COUNTER)).isZero();
        }
        // 100 batches of 200 at least; one transaction per batch would be 100 commits
        assertThat(commits).as("Kafka transactions committed for 100 batches").isBetween(5L, 50L);
        Map<String, Integer> seen = ExactlyOnceTest.counts(broker, "multi-out");
        assertThat(seen).hasSize(20_000);
        assertThat(seen.values()).allMatch(n -> n == 1);
    }

    /**
     * One input record (3000) is routed by its {@code part} header to partition 3 of an output topic
     * that has one: the producer cannot send it (an abortable error), so every transaction holding it
     * aborts, with the batches before it. The source puts batches of 2000, so the transaction holding
     * record 3000 began at 2000 at the latest and holds several batches. Once the partitions exist,
     * everything is written once, and the aborted records stay in the log, invisible to read_committed.
     */
    @Test
    void anAbortedTransactionsBatchesAreAllSentAgainAndWrittenOnce() throws Exception {
        int records = 6000;
        broker.createTopic("abort-in", 1);
        broker.createTopic("abort-out", 1);
        ExactlyOnceTest.fill(broker, "abort-in", 0, records);
        String config = agent("abort-in", "abort-out").replace("a1.sources.r1.batchSize = 200",
                "a1.sources.r1.batchSize = 2000\na1.sources.r1.kafka.consumer.max.poll.records = 2000") + String.join("\n",
                "a1.sources.r1.interceptors = i1", "a1.sources.r1.interceptors.i1.type = regex_extractor",
                "a1.sources.r1.interceptors.i1.regex = ^(3)000$", "a1.sources.r1.interceptors.i1.serializers = s1",
                "a1.sources.r1.interceptors.i1.serializers.s1.name = part",
                "a1.sinks.k1.partitionIdHeader = part", "a1.sinks.k1.kafka.producer.max.block.ms = 2000", "");
        try (LogCapture logs = LogCapture.start(); EmbeddedAgent a = EmbeddedAgent.start("a1", config)) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> a.counter("SINK", "k1", ExactlyOnceDelivery.ABORT_COUNTER) >= 2);
            List<String> lines = logs.matching("was aborted; rolled back to retry");
            assertThat(lines).isNotEmpty().allMatch(l -> l.contains("[a1.sinks.k1]"));
            int most = 0;
            for (String line : lines) {
                Matcher m = Pattern.compile("of (\\d+) record\\(s\\) from (\\d+) batch\\(es\\)").matcher(line);
                assertThat(m.find()).as(line).isTrue();
                most = Math.max(most, Integer.parseInt(m.group(2)));
            }
            assertThat(most).as("batches in the largest aborted transaction").isGreaterThan(1);
            try (Admin admin = broker.admin()) {
                admin.createPartitions(Map.of("abort-out", NewPartitions.increaseTo(4))).all().get(30, TimeUnit.SECONDS);
            }
            await().atMost(Duration.ofSeconds(60)).until(() -> committedTotal("g-abort-in") == records);
        }
        Map<String, Integer> seen = ExactlyOnceTest.counts(broker, "abort-out");
        assertThat(seen).hasSize(records);
        assertThat(seen.values()).allMatch(n -> n == 1);
        assertThat(broker.readAll("abort-out", "read_uncommitted").size()).as("aborted records stay in the log")
                .isGreaterThan(records);
    }

    /**
     * A second producer with the sink's transactional id fences it while transactions of several
     * batches are being written (a fatal error): the open transaction is lost with the producer, all
     * its batches are rolled back, and a new producer writes them; each record once. The input keeps
     * growing until the sink has seen the fence, so the fence always lands while the sink still has
     * work, however fast the machine copies.
     */
    @Test
    void aProducerFencedWhileATransactionIsOpenLosesNothingAndWritesNothingTwice() throws Exception {
        broker.createTopic("fenced-multi-in", 3);
        broker.createTopic("fenced-multi-out", 3);
        int chunk = 2_000;
        ExactlyOnceTest.fill(broker, "fenced-multi-in", 0, 10 * chunk);
        AtomicInteger written = new AtomicInteger(10 * chunk);
        try (LogCapture logs = LogCapture.start();
                EmbeddedAgent a = EmbeddedAgent.start("a1", agent("fenced-multi-in", "fenced-multi-out"))) {
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> a.counter("SINK", "k1", ExactlyOnceDelivery.COMMIT_COUNTER) >= 1);
            AtomicBoolean fenceSeen = new AtomicBoolean();
            Thread feeder = new Thread(() -> {
                // at most 200,000 more records; a few chunks still arrive after the fence is seen
                int after = 0;
                while (written.get() < 210_000 && after < 3) {
                    int from = written.get();
                    ExactlyOnceTest.fill(broker, "fenced-multi-in", from, from + chunk);
                    written.addAndGet(chunk);
                    if (fenceSeen.get()) {
                        after++;
                    }
                }
            }, "fenced-multi-feeder");
            feeder.start();
            try (KafkaProducer<byte[], byte[]> other = broker.producer(Map.of("transactional.id", "sluice-a1-k1"))) {
                other.initTransactions();
            }
            try {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> a.counter("SINK", "k1", ExactlyOnceDelivery.ABORT_COUNTER) >= 1);
            } finally {
                fenceSeen.set(true);
                feeder.join(60_000);
            }
            assertThat(feeder.isAlive()).as("the feeder stopped").isFalse();
            await().atMost(Duration.ofSeconds(90))
                    .until(() -> committedTotal("g-fenced-multi-in") == written.get());
            assertThat(logs.matching("the transactional producer cannot go on")).isNotEmpty()
                    .allMatch(l -> l.contains("[a1.sinks.k1]") && l.contains("'sluice-a1-k1'"));
            assertThat(a.counter("SINK", "k1", "ConnectionCreatedCount")).as("a new producer").isGreaterThanOrEqualTo(2);
        }
        Map<String, Integer> seen = ExactlyOnceTest.counts(broker, "fenced-multi-out");
        assertThat(seen).hasSize(written.get());
        assertThat(seen.values()).allMatch(n -> n == 1);
    }

    /**
     * Stopping the agent while it copies (transactions of up to 1 s) commits what it sent: no
     * transaction of its id is left open, and the group's offsets match the output exactly.
     */
    @Test
    void stoppingTheAgentCommitsTheOpenTransaction() throws Exception {
        broker.createTopic("stop-in", 2);
        broker.createTopic("stop-out", 2);
        ExactlyOnceTest.fill(broker, "stop-in", 0, 30_000);
        long drained;
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("stop-in", "stop-out"))) {
            await().atMost(Duration.ofSeconds(60)).until(() -> a.counter("SINK", "k1", "EventDrainAttemptCount") > 0);
        }
        try (Admin admin = broker.admin()) {
            TransactionDescription d = admin.describeTransactions(List.of("sluice-a1-k1")).description("sluice-a1-k1")
                    .get(30, TimeUnit.SECONDS);
            assertThat(d.state()).as("the transaction after the stop").isNotEqualTo(TransactionState.ONGOING);
        }
        drained = committedTotal("g-stop-in");
        Map<String, Integer> seen = ExactlyOnceTest.counts(broker, "stop-out");
        assertThat(drained).as("input offsets committed by the stop").isPositive();
        assertThat((long) seen.size()).as("records committed").isEqualTo(drained);
        assertThat(seen.values()).allMatch(n -> n == 1);
    }

    private static long committedTotal(String group) throws Exception {
        return TransactionFailuresTest.committedTotal(broker, group);
    }
}
