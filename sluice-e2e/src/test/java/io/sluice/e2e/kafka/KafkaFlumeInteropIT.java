package io.sluice.e2e.kafka;

import io.sluice.api.Event;
import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.FlumePeer;
import io.sluice.e2e.support.SluiceCli;
import io.sluice.kafka.FlumeEventCodec;
import io.sluice.kafka.testing.KafkaBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Real Apache Flume 1.11 agents (its own Kafka source, sink and channel, with Kafka clients 2.7.2) and
 * real Sluice agents share one broker: Flume's sink feeds Sluice's source and Sluice's sink feeds
 * Flume's source, headers intact, in Flume's Avro event format; and a Sluice agent takes over the
 * topic of a Flume Kafka channel and delivers every event Flume left there, with its headers.
 */
class KafkaFlumeInteropIT {
    private static final int EVENTS = 500;

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

    /** Every record of {@code topic}, decoded as Apache Flume Avro events. */
    private static List<Event> events(String topic) {
        List<Event> out = new ArrayList<>();
        for (ConsumerRecord<byte[], byte[]> r : broker.readAll(topic, "read_committed")) {
            out.add(FlumeEventCodec.decode(r.value()));
        }
        return out;
    }

    private static List<String> numbers() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < EVENTS; i++) {
            out.add(String.valueOf(i));
        }
        return out;
    }

    @Test
    void flumeAndSluiceFeedEachOtherThroughKafkaWithHeadersIntact() throws Exception {
        for (String t : List.of("from-flume", "from-sluice", "back-in-flume")) {
            broker.createTopic(t, 1);
        }
        Path flumeDir = dir.resolve("flume");
        // Flume: seq (with a header) -> Kafka sink (Avro events) -> from-flume; and from-sluice -> Kafka source -> back-in-flume.
        Path flumeConf = AgentConfig.of("f1")
                .components("seq kin", "m1 m2", "kout kback")
                .set("sources.seq.type", "seq").set("sources.seq.totalEvents", EVENTS).set("sources.seq.channels", "m1")
                .set("sources.seq.interceptors", "i1").set("sources.seq.interceptors.i1.type", "static")
                .set("sources.seq.interceptors.i1.key", "written-by").set("sources.seq.interceptors.i1.value", "flume")
                .set("channels.m1.type", "memory").set("channels.m1.capacity", 10000)
                .set("channels.m2.type", "memory").set("channels.m2.capacity", 10000)
                .set("channels.m2.transactionCapacity", 1000)
                .set("sinks.kout.type", "org.apache.flume.sink.kafka.KafkaSink").set("sinks.kout.channel", "m1")
                .set("sinks.kout.kafka.bootstrap.servers", broker.bootstrapServers())
                .set("sinks.kout.kafka.topic", "from-flume").set("sinks.kout.useFlumeEventFormat", true)
                .set("sources.kin.type", "org.apache.flume.source.kafka.KafkaSource").set("sources.kin.channels", "m2")
                .set("sources.kin.kafka.bootstrap.servers", broker.bootstrapServers())
                .set("sources.kin.kafka.topics", "from-sluice").set("sources.kin.useFlumeEventFormat", true)
                .set("sources.kin.kafka.consumer.group.id", "flume-reader")
                .set("sources.kin.kafka.consumer.auto.offset.reset", "earliest")
                .set("sinks.kback.type", "org.apache.flume.sink.kafka.KafkaSink").set("sinks.kback.channel", "m2")
                .set("sinks.kback.kafka.bootstrap.servers", broker.bootstrapServers())
                .set("sinks.kback.kafka.topic", "back-in-flume").set("sinks.kback.allowTopicOverride", false)
                .set("sinks.kback.useFlumeEventFormat", true)
                .writeTo(flumeDir);
        // Sluice: from-flume -> Kafka source -> Kafka sink -> from-sluice, adding a header of its own.
        Path sluiceDir = dir.resolve("sluice");
        Path sluiceConf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .set("sources.r1.type", "org.apache.flume.source.kafka.KafkaSource").set("sources.r1.channels", "c1")
                .set("sources.r1.kafka.bootstrap.servers", broker.bootstrapServers())
                .set("sources.r1.kafka.topics", "from-flume").set("sources.r1.useFlumeEventFormat", true)
                .set("sources.r1.kafka.consumer.group.id", "sluice-reader")
                .set("sources.r1.kafka.consumer.auto.offset.reset", "earliest")
                .set("sources.r1.interceptors", "i1").set("sources.r1.interceptors.i1.type", "static")
                .set("sources.r1.interceptors.i1.key", "passed-by").set("sources.r1.interceptors.i1.value", "sluice")
                .set("channels.c1.type", "memory").set("channels.c1.capacity", 10000)
                .set("channels.c1.transactionCapacity", 1000)
                .set("sinks.k1.type", "org.apache.flume.sink.kafka.KafkaSink").set("sinks.k1.channel", "c1")
                .set("sinks.k1.kafka.bootstrap.servers", broker.bootstrapServers())
                .set("sinks.k1.kafka.topic", "from-sluice").set("sinks.k1.allowTopicOverride", false)
                .set("sinks.k1.useFlumeEventFormat", true)
                .writeTo(sluiceDir);
        try (ChildProcess flume = FlumePeer.startAgent("flume-kafka", flumeDir, flumeConf, "f1");
                ChildProcess sluice = SluiceCli.startAgent("sluice-kafka", sluiceDir, sluiceConf, "a1")) {
            try {
                await("Flume's copy of what Sluice wrote").atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(500))
                        .until(() -> broker.readAll("back-in-flume", "read_committed").size() >= EVENTS);
            } catch (Throwable t) {
                throw new AssertionError("no round trip\n" + flume.tail() + "\n" + sluice.tail(), t);
            }
        }
        List<Event> sluiceWrote = events("from-sluice");
        assertThat(sluiceWrote).extracting(Event::bodyAsString).containsExactlyElementsOf(numbers());
        assertThat(sluiceWrote).allSatisfy(e -> assertThat(e.headers()).containsEntry("written-by", "flume")
                .containsEntry("passed-by", "sluice").containsEntry("topic", "from-flume"));
        List<Event> flumeCopied = events("back-in-flume");
        assertThat(flumeCopied).extracting(Event::bodyAsString).containsExactlyElementsOf(numbers());
        assertThat(flumeCopied).allSatisfy(e -> assertThat(e.headers()).containsEntry("written-by", "flume")
                .containsEntry("passed-by", "sluice"));
    }

    @Test
    void sluiceTakesOverTheTopicOfAFlumeKafkaChannel() throws Exception {
        broker.createTopic("flume-channel-topic", 2);
        broker.createTopic("taken-over", 1);
        Path flumeDir = dir.resolve("flume-channel");
        // Flume's sink cannot deliver (nothing listens on port 9), so the events stay in its Kafka channel.
        Path flumeConf = AgentConfig.of("f1")
                .components("seq", "kc", "dead")
                .set("sources.seq.type", "seq").set("sources.seq.totalEvents", EVENTS).set("sources.seq.channels", "kc")
                .set("sources.seq.interceptors", "i1").set("sources.seq.interceptors.i1.type", "static")
                .set("sources.seq.interceptors.i1.key", "left-by").set("sources.seq.interceptors.i1.value", "flume")
                .set("channels.kc.type", "org.apache.flume.channel.kafka.KafkaChannel")
                .set("channels.kc.kafka.bootstrap.servers", broker.bootstrapServers())
                .set("channels.kc.kafka.topic", "flume-channel-topic")
                .set("channels.kc.kafka.consumer.group.id", "channel-group")
                .set("sinks.dead.type", "avro").set("sinks.dead.channel", "kc")
                .set("sinks.dead.hostname", "127.0.0.1").set("sinks.dead.port", 9)
                .writeTo(flumeDir);
        try (ChildProcess flume = FlumePeer.startAgent("flume-kafka-channel", flumeDir, flumeConf, "f1")) {
            try {
                await("Flume filled its Kafka channel").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> broker.readAll("flume-channel-topic", "read_committed").size() >= EVENTS);
            } catch (Throwable t) {
                throw new AssertionError("Flume did not fill its channel\n" + flume.tail(), t);
            }
            flume.kill();
        }
        Path sluiceDir = dir.resolve("sluice-channel");
        Path sluiceConf = AgentConfig.of("a1")
                .components("", "kc", "k1")
                .set("allowNoSources", true)
                .set("channels.kc.type", "org.apache.flume.channel.kafka.KafkaChannel")
                .set("channels.kc.kafka.bootstrap.servers", broker.bootstrapServers())
                .set("channels.kc.kafka.topic", "flume-channel-topic")
                .set("channels.kc.kafka.consumer.group.id", "channel-group")
                .set("sinks.k1.type", "kafka").set("sinks.k1.channel", "kc")
                .set("sinks.k1.kafka.bootstrap.servers", broker.bootstrapServers())
                .set("sinks.k1.kafka.topic", "taken-over").set("sinks.k1.useFlumeEventFormat", true)
                .writeTo(sluiceDir);
        try (ChildProcess sluice = SluiceCli.startAgent("sluice-kafka-channel", sluiceDir, sluiceConf, "a1")) {
            try {
                await("Sluice delivered what Flume left").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                        .until(() -> broker.readAll("taken-over", "read_committed").size() >= EVENTS);
            } catch (Throwable t) {
                throw new AssertionError("no take-over\n" + sluice.tail(), t);
            }
        }
        List<Event> delivered = events("taken-over");
        assertThat(delivered).extracting(Event::bodyAsString).containsExactlyInAnyOrderElementsOf(numbers());
        assertThat(delivered).allSatisfy(e -> assertThat(e.headers()).containsEntry("left-by", "flume"));
    }
}
