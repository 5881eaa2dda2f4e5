package io.sluice.kafka;

import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.testing.EmbeddedAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sink and a channel whose topic does not exist yet: the broker creates it (with 4 partitions) on
 * the first send, and every event still gets through.
 */
class AutoCreatedTopicTest {
    @TempDir
    static Path dir;
    static KafkaBroker broker;

    @BeforeAll
    static void startBroker() {
        broker = KafkaBroker.start(dir, Map.of("num.partitions", "4"));
    }

    @AfterAll
    static void stopBroker() {
        broker.close();
    }

    @Test
    void aSinkWritesEveryEventToATopicItsFirstSendCreates() throws Exception {
        copyAndCount("created-by-sink", String.join("\n",
                "a1.channels.c1.type = memory", "a1.channels.c1.capacity = 100000",
                "a1.channels.c1.transactionCapacity = 1000",
                "a1.sinks.k1.type = kafka",
                "a1.sinks.k1.kafka.bootstrap.servers = " + broker.bootstrapServers(),
                "a1.sinks.k1.kafka.topic = created-by-sink", "a1.sinks.k1.flumeBatchSize = 1000"));
    }

    @Test
    void aChannelPutsEveryEventIntoATopicItsFirstPutCreates() throws Exception {
        copyAndCount("created-by-channel", String.join("\n",
                "a1.channels.c1.type = kafka",
                "a1.channels.c1.kafka.bootstrap.servers = " + broker.bootstrapServers(),
                "a1.channels.c1.kafka.topic = created-by-channel",
                "a1.channels.c1.kafka.consumer.group.id = created-by-channel",
                "a1.sinks.k1.type = null", "a1.sinks.k1.batchSize = 1000"));
    }

    /** Runs 20,000 events from a seq source through the channel and sink given, then counts them in {@code topic}. */
    private static void copyAndCount(String topic, String channelAndSink) throws Exception {
        int events = 20_000;
        String config = String.join("\n",
                "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = seq", "a1.sources.r1.totalEvents = " + events, "a1.sources.r1.batchSize = 1000",
                "a1.sources.r1.channels = c1", "a1.sinks.k1.channel = c1", channelAndSink);
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", config)) {
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", events, Duration.ofSeconds(60));
        }
        assertThat(broker.readAll(topic, "read_committed")).hasSize(events);
    }
}
