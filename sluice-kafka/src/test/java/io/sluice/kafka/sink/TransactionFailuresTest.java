package io.sluice.kafka.sink;

import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.testing.EmbeddedAgent;
import io.sluice.testing.LogCapture;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TransactionDescription;
import org.apache.kafka.clients.admin.TransactionState;
import org.apache.kafka.clients.consumer.ConsumerGroupMetadata;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The exactly-once sink's failures, provoked on real brokers, and what the user reads about them:
 * a producer fenced by a second one with the same transactional id, a transaction the broker aborted
 * after its timeout, and a cluster whose transaction coordinator cannot start.
 */
class TransactionFailuresTest {
    @TempDir
    static Path dir;
    /** Aborts timed-out transactions within a fraction of a second (Kafka's default checks every 10 s). */
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(dir.resolve("broker"),
                Map.of("transaction.abort.timed.out.transaction.cleanup.interval.ms", "200"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    private static void fill(KafkaBroker b, String topic, int from, int to) {
        ExactlyOnceTest.fill(b, topic, from, to);
    }

    private static String agent(KafkaBroker b, String in, String out, String sinkExtra) {
        return String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = kafka", "a1.sources.r1.channels = c1",
                "a1.sources.r1.kafka.bootstrap.servers = " + b.bootstrapServers(),
                "a1.sources.r1.kafka.topics = " + in,
                "a1.sources.r1.kafka.consumer.group.id = g-" + in,
                "a1.sources.r1.kafka.consumer.auto.offset.reset = earliest",
                "a1.sources.r1.batchSize = 100", "a1.sources.r1.batchDurationMillis = 50",
                "a1.channels.c1.type = memory", "a1.channels.c1.capacity = 10000",
                "a1.channels.c1.transactionCapacity = 1000",
                "a1.sinks.k1.type = kafka", "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.kafka.bootstrap.servers = " + b.bootstrapServers(),
                "a1.sinks.k1.kafka.topic = " + out,
                "a1.sinks.k1.allowTopicOverride = false",
                "a1.sinks.k1.flumeBatchSize = 100",
                "a1.sinks.k1.kafka.exactlyOnce = true",
                sinkExtra);
    }

    @Test
    void aFencedSinkSaysAnotherProducerSharesItsTransactionalIdAndStillWritesEachRecordOnce() throws Exception {
        broker.createTopic("fence-in", 2);
        broker.createTopic("fence-out", 2);
        fill(broker, "fence-in", 0, 500);
        try (LogCapture logs = LogCapture.start();
                EmbeddedAgent a = EmbeddedAgent.start("a1", agent(broker, "fence-in", "fence-out", ""))) {
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 500, Duration.ofSeconds(60));
            // A second "agent" starts with the sink's default transactional id and fences the sink's producer.
            try (KafkaProducer<byte[], byte[]> other = broker.producer(Map.of("transactional.id", "sluice-a1-k1"))) {
                other.initTransactions();
                fill(broker, "fence-in", 500, 1000);
                await().atMost(Duration.ofSeconds(60)).until(() -> !logs.matching(
                        "another producer with transactional.id 'sluice-a1-k1' started after this one").isEmpty());
            }
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 1000, Duration.ofSeconds(60));
            String line = logs.matching("another producer with transactional.id 'sluice-a1-k1'").get(0);
            assertThat(line).contains("[a1.sinks.k1]")
                    .contains("Give every running agent its own kafka.producer.transactional.id");
        }
        Map<String, Integer> seen = ExactlyOnceTest.counts(broker, "fence-out");
        assertThat(seen).hasSize(1000);
        assertThat(seen.values()).allMatch(n -> n == 1);
    }

    @Test
    void anEventWithoutItsOffsetHeaderIsRefusedWithTheHeaderNamed() throws Exception {
        broker.createTopic("noheader-in", 1);
        broker.createTopic("noheader-out", 1);
        fill(broker, "noheader-in", 0, 10);
        String config = agent(broker, "noheader-in", "noheader-out", "") + String.join("\n", "",
                "a1.sources.r1.interceptors = i1", "a1.sources.r1.interceptors.i1.type = remove_header",
                "a1.sources.r1.interceptors.i1.withName = offset");
        try (LogCapture logs = LogCapture.start(); EmbeddedAgent a = EmbeddedAgent.start("a1", config)) {
            await().atMost(Duration.ofSeconds(60)).until(() -> !logs.matching("lacks the topic, partition or offset"
                    + " header").isEmpty());
            assertThat(logs.matching("lacks the topic, partition or offset header").get(0))
                    .contains("[a1.sinks.k1]").contains("an interceptor must not remove them");
            assertThat(a.counter("SINK", "k1", "EventDrainSuccessCount")).isZero();
        }
        assertThat(broker.readAll("noheader-out", "read_committed")).isEmpty();
    }

    /**
     * A commit whose answer does not come within max.block.ms: Kafka allows only retrying it. The
     * producer's I/O thread is held (by a real interceptor) on the acknowledgement the commit's flush
     * waits for, so the commit times out with the transaction still going on; once released it commits.
     * The sink must retry the commit, learn it succeeded, and not write the batch the channel gives
     * again a second time.
     */
    @Test
    void aCommitThatTimedOutIsRetriedAndItsBatchIsNotWrittenAgain() throws Exception {
        String sinkExtra = armCommitTimeout("unconfirmed");
        try (LogCapture logs = LogCapture.start();
                EmbeddedAgent a = EmbeddedAgent.start("a1", agent(broker, "unconfirmed-in", "unconfirmed-out",
                        sinkExtra))) {
            try {
                await().atMost(Duration.ofSeconds(60)).until(HoldingInterceptor::holding);
                await().atMost(Duration.ofSeconds(60)).until(() -> a.counter("SINK", "k1", "EventWriteFail") >= 1);
            } finally {
                HoldingInterceptor.release();
            }
            await().atMost(Duration.ofSeconds(60))
                    .until(() -> !logs.matching("the retried commit of the previous transaction succeeded").isEmpty());
            await().atMost(Duration.ofSeconds(60)).until(() -> committedTotal(broker, "g-unconfirmed-in") == 100);
            assertThat(logs.matching("was not confirmed in time").get(0)).contains("[a1.sinks.k1]")
                    .contains("the commit is retried before the next batch");
            assertThat(a.counter("SINK", "k1", ExactlyOnceDelivery.SKIP_COUNTER)).isEqualTo(100);
        }
        Map<String, Integer> seen = ExactlyOnceTest.counts(broker, "unconfirmed-out");
        assertThat(seen).hasSize(100);
        assertThat(seen.values()).allMatch(n -> n == 1);
    }

    /**
     * A commit that timed out, then a retried commit that fails because the producer was fenced, while a
     * transaction holding the batch's records and its input offsets did commit: the sink never learns
     * that, so its new producer must read the group's committed offsets and skip the batch the channel
     * gives again. The transaction that committed is played by the test: with the sink's
     * transactional.id it fences the sink's producer (aborting the sink's own open transaction) and
     * commits the batch's 100 records and the offset after them.
     */
    @Test
    void aNewProducerAfterAFencedRetrySkipsWhatTheGroupCommittedMeanwhile() throws Exception {
        String sinkExtra = armCommitTimeout("fenced");
        try (LogCapture logs = LogCapture.start();
                EmbeddedAgent a = EmbeddedAgent.start("a1", agent(broker, "fenced-in", "fenced-out", sinkExtra))) {
            try {
                await().atMost(Duration.ofSeconds(60)).until(HoldingInterceptor::holding);
                await().atMost(Duration.ofSeconds(60)).until(() -> a.counter("SINK", "k1", "EventWriteFail") >= 1);
                try (KafkaProducer<byte[], byte[]> p = broker.producer(Map.of("transactional.id", "sluice-a1-k1"))) {
                    p.initTransactions();
                    p.beginTransaction();
                    for (int i = 0; i < 100; i++) {
                        p.send(new ProducerRecord<>("fenced-out", String.valueOf(i).getBytes(StandardCharsets.UTF_8)));
                    }
                    p.sendOffsetsToTransaction(Map.of(new TopicPartition("fenced-in", 0), new OffsetAndMetadata(100)),
                            new ConsumerGroupMetadata("g-fenced-in"));
                    p.commitTransaction();
                }
            } finally {
                HoldingInterceptor.release();
            }
            // each of the 100 events is either skipped or written again
            await().atMost(Duration.ofSeconds(60)).until(() -> a.counter("SINK", "k1", ExactlyOnceDelivery.SKIP_COUNTER)
                    + a.counter("SINK", "k1", "EventDrainSuccessCount") >= 100);
            assertThat(a.counter("SINK", "k1", ExactlyOnceDelivery.SKIP_COUNTER)).as("skipped as already committed")
                    .isEqualTo(100);
            assertThat(logs.matching("the retried commit of the previous transaction failed").get(0))
                    .contains("fenced");
            assertThat(a.counter("SINK", "k1", "ConnectionCreatedCount")).as("a new producer").isGreaterThanOrEqualTo(2);
        }
        Map<String, Integer> seen = ExactlyOnceTest.counts(broker, "fenced-out");
        assertThat(seen).hasSize(100);
        assertThat(seen.values()).as("records written more than once").allMatch(n -> n == 1);
    }

    /**
     * Makes {@code <name>-in} (100 records) and {@code <name>-out}, arms the {@link HoldingInterceptor}
     * and returns the sink keys with which the first transaction's commit times out.
     */
    private static String armCommitTimeout(String name) {
        broker.createTopic(name + "-in", 1);
        broker.createTopic(name + "-out", 1);
        fill(broker, name + "-in", 0, 100);
        HoldingInterceptor.arm();
        return String.join("\n",
                "a1.sinks.k1.kafka.producer.interceptor.classes = " + HoldingInterceptor.class.getName(),
                // Records wait for the commit's flush, so the first acknowledgement comes inside the commit.
                "a1.sinks.k1.kafka.producer.linger.ms = 600000",
                "a1.sinks.k1.kafka.producer.max.block.ms = 3000");
    }

    /** The sum of the offsets {@code group} committed, over every partition. */
    static long committedTotal(KafkaBroker b, String group) throws Exception {
        try (Admin admin = b.admin()) {
            long total = 0;
            for (OffsetAndMetadata o : admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).values()) {
                total += o == null ? 0 : o.offset();
            }
            return total;
        }
    }

    @Test
    void aTransactionTheBrokerTimedOutNamesTransactionTimeoutMs() throws Exception {
        broker.createTopic("timeout-out", 1);
        Map<String, Object> settings = Map.of("transactional.id", "slow-tx", "transaction.timeout.ms", 1000);
        try (KafkaProducer<byte[], byte[]> p = broker.producer(settings); Admin admin = broker.admin()) {
            p.initTransactions();
            p.beginTransaction();
            p.send(new ProducerRecord<>("timeout-out", "x".getBytes(StandardCharsets.UTF_8))).get();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                TransactionDescription d = admin.describeTransactions(List.of("slow-tx")).description("slow-tx")
                        .get(10, TimeUnit.SECONDS);
                return d.state() != TransactionState.ONGOING;
            });
            Map<String, Object> sinkProducer = Map.of("bootstrap.servers", broker.bootstrapServers(),
                    "transactional.id", "slow-tx", "transaction.timeout.ms", "1000");
            assertThatThrownBy(p::commitTransaction).isInstanceOf(KafkaException.class)
                    .satisfies(e -> assertThat(TransactionFailures.explain(e, TransactionFailures.Stage.TRANSACTION,
                            sinkProducer))
                            .contains("ended the transaction of transactional.id 'slow-tx' before it committed")
                            .contains("kafka.producer.transaction.timeout.ms (now 1000 ms)")
                            .contains("lower flumeBatchSize"));
        }
    }

    @Test
    void aClusterWhoseTransactionLogNeedsMoreReplicasThanBrokersSaysWhichBrokerSettingToLower() throws Exception {
        try (KafkaBroker small = KafkaBroker.start(dir.resolve("small"),
                Map.of("transaction.state.log.replication.factor", "3"))) {
            small.createTopic("small-in", 1);
            small.createTopic("small-out", 1);
            fill(small, "small-in", 0, 10);
            try (LogCapture logs = LogCapture.start();
                    EmbeddedAgent a = EmbeddedAgent.start("a1",
                            agent(small, "small-in", "small-out", "a1.sinks.k1.kafka.producer.max.block.ms = 2000"))) {
                await().atMost(Duration.ofSeconds(60))
                        .until(() -> !logs.matching("transaction.state.log.replication.factor").isEmpty());
                String line = logs.matching("transaction.state.log.replication.factor").get(0);
                assertThat(line).contains("[a1.sinks.k1] could not start the Kafka producer")
                        .contains("gave transactional.id 'sluice-a1-k1' no producer id within"
                                + " kafka.producer.max.block.ms (now 2000 ms)")
                        .contains("larger than the number of brokers")
                        .contains("kafka.exactlyOnce = false");
                assertThat(a.counter("SINK", "k1", "EventDrainSuccessCount")).isZero();
            }
        }
    }
}
