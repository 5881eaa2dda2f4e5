package io.sluice.sql.kafka;

import io.sluice.kafka.testing.ExpectedWindows;
import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.sql.Column;
import io.sluice.sql.EngineOptions;
import io.sluice.sql.Flow;
import io.sluice.sql.Row;
import io.sluice.sql.RowListener;
import io.sluice.sql.RtsqlEngine;
import io.sluice.sql.SqlType;
import io.sluice.sql.StreamInput;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * KAFKA streams against a real broker (KRaft, in this JVM): windows per key are right against a
 * count made independently of the engine; offsets are committed only below open windows; and two
 * engines sharing one consumer group share the partitions, the survivor of one that stops dead
 * re-reading its partitions so that no window is lost and none is emitted partially.
 */
class KafkaStreamTest {
    /** A whole minute close to now: the broker deletes records older than its retention (7 days). */
    private static final long BASE = System.currentTimeMillis() / 60_000 * 60_000;
    private static final int PARTITIONS = 4;
    private static final int USERS = 24;

    @TempDir
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(dir);
    }

    @AfterAll
    static void stopBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    /** Collects a flow's rows as {@code user@windowStart -> count,sum}; thread-safe. */
    static final class Windows implements RowListener {
        final List<String> rows = Collections.synchronizedList(new ArrayList<>());

        @Override
        public void onRow(Row row) {
            if (!"~flush".equals(row.value(0))) {
                rows.add(ExpectedWindows.row(row.value(0), row.value(1), row.value(2), row.value(3)));
            }
        }

        List<String> snapshot() {
            synchronized (rows) {
                return new ArrayList<>(rows);
            }
        }
    }

    private static String stream(String topic, String group) {
        return "CREATE STREAM clicks (user STRING NOT NULL, n BIGINT) FROM KAFKA TOPIC '" + topic + "'"
                + " PROPERTIES ('bootstrap.servers' = '" + broker.bootstrapServers() + "', 'group.id' = '" + group + "',"
                + " 'auto.commit.interval.ms' = '200')";
    }

    private static final String PER_USER = "SELECT user, WINDOW_START() AS ws, COUNT(*) AS c, SUM(n) AS s"
            + " FROM clicks GROUP BY user OVER TUMBLING INTERVAL 1 SECONDS";
    /** Windows of 2 s every 1 s: a record re-read after a takeover also belongs to a window already emitted. */
    private static final String PER_USER_HOPPING = "SELECT user, WINDOW_START() AS ws, COUNT(*) AS c, SUM(n) AS s"
            + " FROM clicks GROUP BY user OVER HOPPING INTERVAL 2 SECONDS ADVANCE INTERVAL 1 SECONDS";

    /**
     * Sends {@code count} records keyed by user, in time order from {@code from} ms after BASE, 5 ms
     * apart, and counts each into {@code expected}: the independent count.
     */
    private static void produce(KafkaProducer<byte[], byte[]> p, String topic, int first, int count, long from,
            ExpectedWindows expected) throws Exception {
        for (int i = first; i < first + count; i++) {
            String user = "u" + (i * 7 % USERS);
            long n = i % 13;
            long t = BASE + from + (long) (i - first) * 5;
            p.send(new ProducerRecord<>(topic, null, t, user.getBytes(StandardCharsets.UTF_8),
                    (user + "," + n).getBytes(StandardCharsets.UTF_8)));
            expected.add(user, t, n);
        }
        p.flush();
    }

    /** One record per partition far in the future, so every real window closes; returns their offsets. */
    private static Map<Integer, Long> flush(KafkaProducer<byte[], byte[]> p, String topic, long at) throws Exception {
        Map<Integer, Long> offsets = new TreeMap<>();
        for (int part = 0; part < PARTITIONS; part++) {
            RecordMetadata m = p.send(new ProducerRecord<>(topic, part, BASE + at, null,
                    "~flush,0".getBytes(StandardCharsets.UTF_8))).get();
            offsets.put(part, m.offset());
        }
        return offsets;
    }

    /**
     * Makes {@code topic} with {@link #PARTITIONS} partitions and fills it with {@code count} records
     * in 1 s tumbling windows (counted into {@code expected}) and a flush record per partition at
     * 60 s; returns the flush records' offsets.
     */
    private static Map<Integer, Long> fill(String topic, int count, ExpectedWindows expected) throws Exception {
        broker.createTopic(topic, PARTITIONS);
        // a send to a partition whose leader is not elected yet can wedge the idempotent producer
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            try (Admin admin = broker.admin()) {
                TopicDescription d = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic);
                return d.partitions().size() == PARTITIONS && d.partitions().stream().allMatch(i -> i.leader() != null);
            }
        });
        try (KafkaProducer<byte[], byte[]> p = broker.producer(Map.of())) {
            produce(p, topic, 0, count, 0, expected);
            return flush(p, topic, 60_000);
        }
    }

    /** Each partition is committed exactly at its flush record (whose window is open), with the flush's watermark. */
    private static void assertCommittedAtFlush(String group, String topic, Map<Integer, Long> flushAt) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> c = committed(group);
        for (int part = 0; part < PARTITIONS; part++) {
            OffsetAndMetadata o = c.get(new TopicPartition(topic, part));
            assertThat(o).as("partition " + part).isNotNull();
            assertThat(o.offset()).as("partition " + part).isEqualTo(flushAt.get(part));
            assertThat(o.metadata()).isEqualTo(KafkaStreamReader.WATERMARK_PREFIX + (BASE + 60_000 - 200));
        }
    }

    private static Map<TopicPartition, OffsetAndMetadata> committed(String group) throws Exception {
        try (Admin admin = broker.admin()) {
            return admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get();
        }
    }

    @Test
    void oneEngineEmitsEveryWindowOnceAndCommitsBelowOpenWindows() throws Exception {
        String topic = "one";
        ExpectedWindows expected = new ExpectedWindows(1000, 1000);
        Map<Integer, Long> flushAt = fill(topic, 3_000, expected);
        Windows out = new Windows();
        try (RtsqlEngine e = new RtsqlEngine()) {
            e.execute(stream(topic, "g-one"));
            Flow f = e.execute(PER_USER, out).flow().orElseThrow();
            List<String> want = expected.rows();
            await().atMost(Duration.ofSeconds(60)).until(() -> out.rows.size() >= want.size());
            assertThat(out.snapshot()).containsExactlyInAnyOrderElementsOf(want);
            // the flush records' windows are still open: each partition is committed exactly at its flush record
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertCommittedAtFlush("g-one", topic, flushAt));
            assertThat(f.counters().late()).isZero();
            assertThat(f.counters().rejected()).isZero();
        }
    }

    /**
     * On an engine whose flows run on a pool, a KAFKA stream's records must have gone through its
     * flow's windows before their offsets can be committed. The pool's one thread is held by another
     * flow's listener the whole time, so a record queued for the pool would never reach its window:
     * a commit taking it as done would skip it. Committed offsets must stay at the flush records,
     * whose windows never close, and every window before them must be emitted.
     */
    @Test
    void onAPooledEngineOffsetsNeverPassARecordWhoseWindowIsOpen() throws Exception {
        String topic = "pooled";
        String group = "g-pooled";
        ExpectedWindows expected = new ExpectedWindows(1000, 1000);
        Map<Integer, Long> flushAt = fill(topic, 2_000, expected);
        CountDownLatch busy = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        RowListener wedge = new RowListener() {
            @Override
            public void onRow(Row row) {
                busy.countDown();
                try {
                    release.await(2, TimeUnit.MINUTES);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        Windows out = new Windows();
        try (RtsqlEngine e = new RtsqlEngine(EngineOptions.builder().flowThreads(1).build())) {
            try {
                readWhilePoolIsHeld(e, topic, group, busy, wedge, out, flushAt, expected.rows());
            } finally {
                release.countDown(); // before the engine closes: closing waits for its pool
            }
        }
    }

    /** Holds the pool's one thread in another flow's listener, then reads {@code topic} and checks the commits. */
    private static void readWhilePoolIsHeld(RtsqlEngine e, String topic, String group, CountDownLatch busy,
            RowListener wedge, Windows out, Map<Integer, Long> flushAt, List<String> want) throws Exception {
        StreamInput side = e.createInputStream("side", List.of(new Column("x", SqlType.BIGINT)));
        e.execute("SELECT x FROM side", wedge);
        side.push(new Object[] {1L}, BASE);
        assertThat(busy.await(30, TimeUnit.SECONDS)).as("the pool's thread is held").isTrue();

        e.execute(stream(topic, group));
        Flow f = e.execute(PER_USER, out).flow().orElseThrow();
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            Map<TopicPartition, OffsetAndMetadata> c = committed(group);
            for (int part = 0; part < PARTITIONS; part++) {
                OffsetAndMetadata o = c.get(new TopicPartition(topic, part));
                if (o != null) {
                    // checked at every poll; a commit past the flush record is never taken back
                    assertThat(o.offset()).as("partition " + part + " committed past its open window")
                            .isLessThanOrEqualTo(flushAt.get(part));
                }
            }
            assertThat(out.rows).hasSameSizeAs(want);
            assertThat(c).hasSize(PARTITIONS);
            c.values().forEach(o -> assertThat(o.offset()).isPositive());
        });
        assertThat(out.snapshot()).containsExactlyInAnyOrderElementsOf(want);
        assertCommittedAtFlush(group, topic, flushAt);
        assertThat(f.counters().late()).isZero();
    }

    @Test
    void twoEnginesShareThePartitionsAndTheSurvivorLosesNoWindow() throws Exception {
        String topic = "shared";
        String group = "g-shared";
        broker.createTopic(topic, PARTITIONS);
        ExpectedWindows expected = new ExpectedWindows(2000, 1000);
        Windows fromA = new Windows();
        Windows fromB = new Windows();
        try (RtsqlEngine a = new RtsqlEngine(); RtsqlEngine b = new RtsqlEngine();
             KafkaProducer<byte[], byte[]> p = broker.producer(Map.of())) {
            a.execute(stream(topic, group));
            b.execute(stream(topic, group));
            Flow fa = a.execute(PER_USER_HOPPING, fromA).flow().orElseThrow();
            Flow fb = b.execute(PER_USER_HOPPING, fromB).flow().orElseThrow();
            await().atMost(Duration.ofSeconds(60)).until(() -> broker.assignedMembers(group) == 2);

            produce(p, topic, 0, 4_000, 0, expected);
            // both read, both emit, and offsets are committed for every partition
            await().atMost(Duration.ofSeconds(60)).until(() ->
                    fa.counters().eventsIn() + fb.counters().eventsIn() >= 4_000 && committed(group).size() == PARTITIONS);
            assertThat(fa.counters().eventsIn()).isPositive();
            assertThat(fb.counters().eventsIn()).isPositive();
            await().atMost(Duration.ofSeconds(30)).until(() -> !fromA.rows.isEmpty() && !fromB.rows.isEmpty());

            // A stops dead: its open windows are discarded unemitted, it commits nothing more
            a.dropFlow(fa.id());
            List<String> emittedByA = fromA.snapshot();

            produce(p, topic, 4_000, 4_000, 20_000, expected);
            flush(p, topic, 120_000);
            List<String> want = expected.rows();
            await().atMost(Duration.ofSeconds(90)).until(() -> {
                Set<String> all = new HashSet<>(emittedByA);
                all.addAll(fromB.snapshot());
                return all.containsAll(want);
            });
            List<String> all = new ArrayList<>(emittedByA);
            all.addAll(fromB.snapshot());
            // every row is a complete window (no partial one), and every window is there: at least once
            assertThat(new HashSet<>(all)).containsExactlyInAnyOrderElementsOf(want);
            // a window emitted twice was emitted by A and again, identical, by B after taking over
            Map<String, Integer> seen = new HashMap<>();
            all.forEach(r -> seen.merge(r, 1, Integer::sum));
            seen.forEach((row, n) -> {
                assertThat(n).as(row).isLessThanOrEqualTo(2);
                if (n == 2) {
                    assertThat(emittedByA).as(row).contains(row);
                }
            });
            assertThat(fb.counters().rejected()).isZero();
        }
    }
}
