package io.sluice.kafka.channel;

import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.kafka.FlumeEventCodec;
import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.testing.CollectingSink;
import io.sluice.testing.EmbeddedAgent;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/** The Kafka channel against one real broker (KRaft, 127.0.0.1, ephemeral ports) shared by the class. */
class KafkaChannelTest {
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

    private static String agent(String topic, int total, String channelKeys, String sinkKeys) {
        return String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = " + total, "a1.sources.r1.batchSize = 50",
                "a1.sources.r1.interceptors = i1", "a1.sources.r1.interceptors.i1.type = static",
                "a1.sources.r1.interceptors.i1.key = origin", "a1.sources.r1.interceptors.i1.value = seq",
                "a1.sources.r1.channels = c1",
                "a1.channels.c1.type = org.apache.flume.channel.kafka.KafkaChannel",
                "a1.channels.c1.kafka.bootstrap.servers = " + broker.bootstrapServers(),
                "a1.channels.c1.kafka.topic = " + topic,
                "a1.channels.c1.kafka.consumer.group.id = g-" + topic,
                "a1.channels.c1.kafka.pollTimeout = 100",
                channelKeys,
                "a1.sinks.k1.type = collecting", "a1.sinks.k1.batchSize = 20",
                sinkKeys,
                "a1.sinks.k1.channel = c1");
    }

    private static List<String> numbers(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(String.valueOf(i));
        }
        return out;
    }

    @Test
    void carriesHeadersAndGivesRolledBackTakesBackInOrder() throws Exception {
        broker.createTopic("ch-order", 1);
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("ch-order", 500, "", ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            sink.failNext(3);
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.count() == 500);
            assertThat(sink.bodies()).as("none lost, none twice, in order").containsExactlyElementsOf(numbers(0, 500));
            assertThat(sink.events()).allSatisfy(e -> assertThat(e.headers()).containsEntry("origin", "seq"));
            assertThat(sink.failures()).isEqualTo(3);
        }
        // Apache Flume's format on the topic: the Avro event with its headers.
        ConsumerRecord<byte[], byte[]> first = broker.readAll("ch-order", "read_committed").get(0);
        Event e = FlumeEventCodec.decode(first.value());
        assertThat(e.bodyAsString()).isEqualTo("0");
        assertThat(e.headers()).containsEntry("origin", "seq");
    }

    @Test
    void aPutLeavesAtOnceWhateverLingerMsIsSet() throws Exception {
        // A put's commit flushes the producer after sending, so it waits for Kafka's acknowledgements only,
        // never for linger.ms: with a 10-minute linger and batches that never fill, nothing else sends them.
        broker.createTopic("ch-linger", 1);
        String keys = String.join("\n", "a1.channels.c1.kafka.producer.linger.ms = 600000",
                "a1.channels.c1.kafka.producer.batch.size = 1048576");
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("ch-linger", 100, keys, ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.count() == 100);
            assertThat(sink.bodies()).containsExactlyElementsOf(numbers(0, 100));
        }
    }

    @Test
    void takesCommitTheirOffsetsSoARestartedAgentGoesOnWhereTheLastStopped() throws Exception {
        broker.createTopic("ch-restart", 2);
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("ch-restart", 300, "", ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(60)).until(() -> sink.count() == 300);
        }
        // The same group again: the first events it takes are the new ones, none of the 300 comes back.
        String again = agent("ch-restart", 10, "", "").replace("interceptors.i1.value = seq",
                "interceptors.i1.value = second");
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", again)) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() >= 10);
            assertThat(sink.events()).hasSize(10)
                    .allSatisfy(e -> assertThat(e.headers()).containsEntry("origin", "second"));
        }
    }

    @Test
    void plainBodiesWhenNotParsedAsFlumeEvents() throws Exception {
        broker.createTopic("ch-plain", 1);
        broker.produce("ch-plain", List.of("raw-1".getBytes(StandardCharsets.UTF_8)));
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", agent("ch-plain", 0, "a1.channels.c1.parseAsFlumeEvent = false",
                ""))) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            await().atMost(Duration.ofSeconds(30)).until(() -> sink.count() == 1);
            assertThat(sink.events().get(0).bodyAsString()).isEqualTo("raw-1");
            assertThat(sink.events().get(0).headers()).isEmpty();
        }
    }

    @Test
    void losesNothingAndKeepsTheOrderWhenTheBrokerRestartsMidStream() throws Exception {
        // Puts failing while the broker is away are rolled back and put again by the source; takes that
        // cannot commit come back. At-least-once: every event arrives, and on the topic's one partition the
        // first copies of the events arrive in the order the source made them.
        // The broker stops once the source has put 2,000 events, leaving 48,000 to put: so many that the
        // stop always lands while the source is still putting, however fast the machine.
        int total = 50_000;
        broker.createTopic("ch-broker-restart", 1);
        String keys = String.join("\n", "a1.channels.c1.kafka.producer.request.timeout.ms = 1500",
                "a1.channels.c1.kafka.producer.delivery.timeout.ms = 3000",
                "a1.channels.c1.kafka.producer.max.block.ms = 3000");
        String config = agent("ch-broker-restart", total, keys, "").replace("a1.sources.r1.batchSize = 50",
                "a1.sources.r1.batchSize = 100").replace("a1.sinks.k1.batchSize = 20", "a1.sinks.k1.batchSize = 100");
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", config)) {
            CollectingSink sink = a.sink("k1", CollectingSink.class);
            a.awaitCounter("SOURCE", "r1", "EventAcceptedCount", 2_000, Duration.ofSeconds(60));
            broker.stop();
            a.awaitCounter("SOURCE", "r1", "ChannelWriteFail", 1, Duration.ofSeconds(60));
            broker.start();
            await().atMost(Duration.ofSeconds(120)).until(() -> sink.bodies().stream().distinct().count() == total);
            List<String> firstCopies = sink.bodies().stream().distinct().toList();
            assertThat(firstCopies).as("none lost; first copies in the order made").containsExactlyElementsOf(
                    numbers(0, total));
        }
    }

    @Test
    void aPutWhoseSendWouldWaitLongerThanLingerMsLeavesNothingOfItselfOnTheTopic() {
        // A send() that waits for metadata (up to max.block.ms) between two records of one put, as while the
        // broker is away or restarting, used to let the put's first records leave alone once linger.ms passed,
        // and the later ones follow: a failed put partly on the topic, its retry landing after that part, out of
        // order. Made deterministic here with a record for a partition the topic does not have, whose metadata
        // never comes: the commit now checks the topic's metadata and every partition before sending anything.
        broker.createTopic("ch-split", 1);
        KafkaChannel c = channel("ch-split", Optional.of("part"), Map.of("linger.ms", "100", "max.block.ms", "1500"));
        c.start();
        try {
            assertThatThrownBy(() -> putTo(c, "first", "0", "second", "5", "third", "0"))
                    .isInstanceOf(ChannelException.class)
                    .hasMessageContaining("partition 5").hasMessageContaining("ch-split has 1");
            put(c, true, "after");
            List<String> onTopic = broker.readAll("ch-split", "read_uncommitted").stream()
                    .map(r -> FlumeEventCodec.decode(r.value()).bodyAsString()).toList();
            assertThat(onTopic).as("nothing of the failed put").containsExactly("after");
        } finally {
            c.stop();
        }
    }

    @Test
    void eachPuttingThreadHasItsOwnProducerClosedWhenTheThreadEndedOrTheChannelStops() throws Exception {
        // A flush makes every batch of its producer ready at once; with one producer per putting thread, one
        // source's commit never ships another's put while that put is still being handed over.
        broker.createTopic("ch-threads", 1);
        long before = producerThreads();
        KafkaChannel c = channel("ch-threads");
        c.start();
        try {
            put(c, true, "main-1");
            Thread other = new Thread(() -> put(c, true, "other-1"), "other-putter");
            other.start();
            other.join(30_000);
            put(c, true, "main-2");
            assertThat(producerThreads() - before).as("one producer per putting thread").isEqualTo(2);
            Thread third = new Thread(() -> put(c, true, "third-1"), "third-putter");
            third.start();
            third.join(30_000);
            assertThat(producerThreads() - before).as("the ended thread's producer closed when a new one came")
                    .isEqualTo(2);
            List<String> onTopic = broker.readAll("ch-threads", "read_uncommitted").stream()
                    .map(r -> FlumeEventCodec.decode(r.value()).bodyAsString()).toList();
            assertThat(onTopic).containsExactly("main-1", "other-1", "main-2", "third-1");
        } finally {
            c.stop();
        }
        assertThat(producerThreads()).as("stop closed every producer").isEqualTo(before);
    }

    @Test
    void aProducerSettingKafkaRefusesFailsTheStartNotTheFirstPut() {
        KafkaChannel c = channel("ch-bad-producer", Optional.empty(), Map.of("key.serializer", "no.such.Serializer"));
        assertThatThrownBy(c::start).hasMessageContaining("no.such.Serializer");
    }

    /** Live Kafka producer I/O threads in this JVM (each producer has one). */
    private static long producerThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith("kafka-producer-network-thread")).count();
    }

    /** Puts and commits events, each given as a body followed by the partition its {@code part} header names. */
    private static void putTo(KafkaChannel c, String... bodyAndPartition) {
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            for (int i = 0; i < bodyAndPartition.length; i += 2) {
                tx.put(Event.wrap(Map.of("part", bodyAndPartition[i + 1]),
                        bodyAndPartition[i].getBytes(StandardCharsets.UTF_8)));
            }
            tx.commit();
        }
    }

    /** A channel on {@code topic} built from its record, outside an agent. */
    private static KafkaChannel channel(String topic) {
        return channel(topic, Optional.empty(), Map.of());
    }

    /** As {@link #channel(String)}, with a partition header and producer settings added. */
    private static KafkaChannel channel(String topic, Optional<String> partitionHeader, Map<String, Object> extra) {
        return channel(topic, partitionHeader, extra, KafkaChannelConfig.OFFSET_COMMIT_INTERVAL.defaultValue(),
                System::nanoTime);
    }

    /** As above, with the offset commit interval and the clock it is measured on. */
    private static KafkaChannel channel(String topic, Optional<String> partitionHeader, Map<String, Object> extra,
            long commitIntervalMillis, LongSupplier nanoClock) {
        Map<String, Object> consumer = Map.of("bootstrap.servers", broker.bootstrapServers(), "group.id", "g-" + topic,
                "enable.auto.commit", "false", "auto.offset.reset", "earliest",
                "key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer",
                "value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
        Map<String, Object> producer = new HashMap<>(Map.of("bootstrap.servers", broker.bootstrapServers(),
                "acks", "all", "key.serializer", "org.apache.kafka.common.serialization.StringSerializer",
                "value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer"));
        producer.putAll(extra);
        KafkaChannelConfig config = new KafkaChannelConfig(broker.bootstrapServers(), topic, "g-" + topic, true, 100,
                Optional.empty(), partitionHeader, commitIntervalMillis, consumer, producer);
        return new KafkaChannel("c1", "a1.channels.c1", config, new ChannelCounter("c1"), nanoClock);
    }

    private static void put(KafkaChannel c, boolean commit, String... bodies) {
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            for (String b : bodies) {
                tx.put(Event.wrap(null, b.getBytes(StandardCharsets.UTF_8)));
            }
            if (commit) {
                tx.commit();
            } else {
                tx.rollback();
            }
        }
    }

    @Test
    void aPutCommitTellsItsListenersOnceKafkaAcknowledgedIt() {
        // The agent's sink runners listen, so a sink backing off after an empty take wakes as soon as a put of
        // this agent committed instead of sleeping through its back-off.
        broker.createTopic("ch-listen", 1);
        KafkaChannel c = channel("ch-listen");
        c.start();
        try {
            AtomicInteger fired = new AtomicInteger();
            AtomicInteger takeableWhenFired = new AtomicInteger(-1);
            Runnable listener = () -> {
                fired.incrementAndGet();
                takeableWhenFired.set(broker.readAll("ch-listen", "read_committed").size());
            };
            assertThat(c.addPutCommitListener(listener)).as("the channel can tell").isTrue();
            put(c, false, "rolled-back");
            assertThat(fired).as("a rolled-back put tells nobody").hasValue(0);
            put(c, true, "a", "b");
            assertThat(fired).as("told once, on the committing thread, before commit returned").hasValue(1);
            assertThat(takeableWhenFired).as("both events were on the topic when told").hasValue(2);
            c.removePutCommitListener(listener);
            put(c, true, "c");
            assertThat(fired).as("a removed listener is not told").hasValue(1);
        } finally {
            c.stop();
        }
    }

    @Test
    void takesCommittedWhileAnOffsetCommitTravelsGoToTheBrokerAsOneCommit() throws Exception {
        // 300 takes of one event each, committed back to back from the consumer's buffer: one offset commit is in
        // flight at a time and the takes committed meanwhile are merged into the next, so the broker sees a few
        // offset commits rather than 300; the merged offsets go with the next poll, and no event comes back.
        broker.createTopic("ch-merge", 1);
        KafkaChannel c = channel("ch-merge", Optional.empty(), Map.of(), 0, System::nanoTime);
        c.start();
        try {
            String[] bodies = numbers(0, 300).toArray(String[]::new);
            put(c, true, bodies);
            long commitsBefore = offsetCommitRequests();
            assertThat(takeEachAlone(c, 300)).containsExactlyElementsOf(numbers(0, 300));
            TopicPartition tp = new TopicPartition("ch-merge", 0);
            try (Admin admin = broker.admin()) {
                // On this thread: each taking thread has its own consumer, and this one holds the merged offsets.
                await("the merged offsets committed by later polls").pollInSameThread().atMost(Duration.ofSeconds(30))
                        .until(() -> {
                    try (Transaction tx = c.getTransaction()) {
                        tx.begin();
                        assertThat(tx.take()).as("nothing comes back").isNull();
                        tx.commit();
                    }
                    OffsetAndMetadata committed = admin.listConsumerGroupOffsets("g-ch-merge")
                            .partitionsToOffsetAndMetadata().get().get(tp);
                    return committed != null && committed.offset() == 300;
                });
            }
            assertThat(offsetCommitRequests() - commitsBefore).as("offset commits the broker handled for 300 takes")
                    .isLessThan(30);
        } finally {
            c.stop();
        }
    }

    @Test
    void takesCommittedWithinTheCommitIntervalWaitForItThenGoAsOneCommit() throws Exception {
        // 300 takes of one event each on a clock that stands still: the first take's offsets go at once, the
        // other 299 wait for the interval; once the clock passes it, the next take's poll sends them as one commit.
        broker.createTopic("ch-interval", 1);
        AtomicLong now = new AtomicLong();
        KafkaChannel c = channel("ch-interval", Optional.empty(), Map.of(), 1000, now::get);
        c.start();
        TopicPartition tp = new TopicPartition("ch-interval", 0);
        try (Admin admin = broker.admin()) {
            put(c, true, numbers(0, 300).toArray(String[]::new));
            assertThat(takeEachAlone(c, 300)).containsExactlyElementsOf(numbers(0, 300));
            // The first commit (of the first take) lands; later polls of an empty topic send nothing more.
            await("the first take's offsets").pollInSameThread().atMost(Duration.ofSeconds(30)).until(() -> {
                assertThat(takeOne(c)).as("nothing comes back").isNull();
                OffsetAndMetadata committed = admin.listConsumerGroupOffsets("g-ch-interval")
                        .partitionsToOffsetAndMetadata().get().get(tp);
                return committed != null;
            });
            long commitsBefore = offsetCommitRequests();
            for (int i = 0; i < 3; i++) {
                assertThat(takeOne(c)).as("nothing comes back").isNull();
            }
            assertThat(admin.listConsumerGroupOffsets("g-ch-interval").partitionsToOffsetAndMetadata().get().get(tp)
                    .offset()).as("offset committed before the interval passed").isLessThan(300);
            assertThat(offsetCommitRequests()).as("offset commits sent within the interval").isEqualTo(commitsBefore);

            now.addAndGet(Duration.ofMillis(1000).toNanos());
            await("the merged offsets, once the interval passed").pollInSameThread().atMost(Duration.ofSeconds(30))
                    .until(() -> {
                assertThat(takeOne(c)).as("nothing comes back").isNull();
                return admin.listConsumerGroupOffsets("g-ch-interval").partitionsToOffsetAndMetadata().get().get(tp)
                        .offset() == 300;
            });
            assertThat(offsetCommitRequests() - commitsBefore).as("offset commits for the 299 waiting takes")
                    .isEqualTo(1);
        } finally {
            c.stop();
        }
    }

    /** One take of at most one event, committed. */
    /**
     * Takes up to {@code count} events, one per transaction, for at most 60 s, and returns their bodies; a
     * take finds nothing while the first polls join the group and fetch.
     */
    private static List<String> takeEachAlone(KafkaChannel c, int count) {
        List<String> taken = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (taken.size() < count && System.nanoTime() < deadline) {
            Event e = takeOne(c);
            if (e != null) {
                taken.add(e.bodyAsString());
            }
        }
        return taken;
    }

    private static Event takeOne(KafkaChannel c) {
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            Event e = tx.take();
            tx.commit();
            return e;
        }
    }

    /** The OffsetCommit requests the broker (in this JVM) has handled so far, over all request versions. */
    private static long offsetCommitRequests() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        long sum = 0;
        for (ObjectName n : server.queryNames(
                new ObjectName("kafka.network:type=RequestMetrics,name=RequestsPerSec,request=OffsetCommit,*"), null)) {
            sum += ((Number) server.getAttribute(n, "Count")).longValue();
        }
        return sum;
    }
}
