package io.sluice.bench.kafka;

import io.sluice.bench.BenchContext;
import io.sluice.bench.BenchOptions;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.harness.AgentSide;
import io.sluice.bench.harness.ChildJvm;
import io.sluice.bench.harness.MetricsClient;
import io.sluice.bench.harness.SideBySideAgents;
import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code kafka}: one broker (KRaft, in this JVM), 100-byte events, three side-by-side lines:
 * {@code kafka-sink} (stress source, memory channel, Kafka sink, measured at the sink's
 * {@code EventDrainSuccessCount}), {@code kafka-source} (a pre-filled topic, Kafka source, memory
 * channel, null sink, at the source's {@code EventAcceptedCount}) and {@code kafka-channel} (stress
 * source, Kafka channel, null sink, at the channel's {@code EventTakeSuccessCount}). Every run writes to
 * or reads as its own topic or group. Then the rate of Sluice's exactly-once sink copying the
 * pre-filled topic ({@code kafka.exactlyOnce = true}; Apache Flume has none), beside the plain sink's.
 */
public final class KafkaScenario implements Scenario {
    private static final int BODY = 100;
    private static final String FILLED = "bench-filled";

    @Override
    public String name() {
        return "kafka";
    }

    @Override
    public String description() {
        return "one broker, 100-byte events: kafka-sink (stress -> memory -> Kafka sink), kafka-source (filled topic"
                + " -> memory -> null), kafka-channel (stress -> Kafka channel -> null); and the exactly-once sink rate";
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        int filled = Integer.getInteger("sluice.bench.kafkaRecords", 3_000_000);
        // -Dsluice.bench.kafka.only=kafka-channel (or kafka-sink, kafka-source) runs that one line and skips the
        // exactly-once rate; unset runs everything.
        String only = System.getProperty("sluice.bench.kafka.only", "");
        try (KafkaBroker broker = KafkaBroker.start(context.workDirectory().resolve("kafka-broker"),
                Map.of("num.partitions", "4"))) {
            String servers = broker.bootstrapServers();
            if (only.isEmpty() || only.equals("kafka-source")) {
                fill(broker, filled);
            }
            List<Comparison> lines = new ArrayList<>();
            // Each run's output topic is made before its agent starts, with the broker's 4 partitions, so neither
            // side's measured time includes creating a topic (Sluice's sink and channel wait for a new topic's
            // leaders before the first write, see TopicReadiness; Apache Flume's do not). Both sides get the same
            // topics.
            Comparison sink = null;
            if (only.isEmpty() || only.equals("kafka-sink")) {
                sink = new SideBySideAgents("kafka-sink", "a1", (side, dir) -> sinkConfig(servers,
                        created(broker, topic(dir))), "SINK.k1", "EventDrainSuccessCount").run(context);
                lines.add(sink);
            }
            if (only.isEmpty() || only.equals("kafka-source")) {
                lines.add(new SideBySideAgents("kafka-source", "a1",
                        (side, dir) -> sourceConfig(servers, topic(dir)), "SOURCE.r1", "EventAcceptedCount")
                        .run(context));
            }
            if (only.isEmpty() || only.equals("kafka-channel")) {
                lines.add(new SideBySideAgents("kafka-channel", "a1",
                        (side, dir) -> channelConfig(servers, created(broker, topic(dir))), "CHANNEL.c1",
                        "EventTakeSuccessCount")
                        .run(context));
            }
            if (only.isEmpty()) {
                double eo = exactlyOnceRate(context, servers);
                context.log(String.format(Locale.ROOT, "scenario=kafka-exactly-once sluice=%.0f events/s (plain Kafka"
                        + " sink: %.0f events/s)", eo, sink.sluiceMedian()));
            }
            return lines;
        }
    }

    /** A name unique to one run, from its scratch directory (e.g. {@code kafka-sink/sluice-2}). */
    private static String topic(Path runDir) {
        return (runDir.getParent().getFileName() + "-" + runDir.getFileName()).replaceAll("[^A-Za-z0-9-]", "-");
    }

    private static String created(KafkaBroker broker, String topic) {
        broker.createTopic(topic, 4);
        return topic;
    }

    private static void fill(KafkaBroker broker, int records) {
        broker.createTopic(FILLED, 4);
        byte[] body = new byte[BODY];
        Arrays.fill(body, (byte) 'x');
        try (KafkaProducer<byte[], byte[]> p = broker.producer(Map.of("linger.ms", 20, "batch.size", 524288,
                "acks", "1"))) {
            for (int i = 0; i < records; i++) {
                p.send(new ProducerRecord<>(FILLED, body));
            }
            p.flush();
        }
    }

    static String stress(String channel) {
        return String.join("\n", "a1.sources.r1.type = org.apache.flume.source.StressSource",
                "a1.sources.r1.size = " + BODY, "a1.sources.r1.batchSize = 1000", "a1.sources.r1.channels = " + channel);
    }

    static String memory() {
        return "a1.channels.c1.type = memory\na1.channels.c1.capacity = 100000\na1.channels.c1.transactionCapacity = 1000";
    }

    static String sinkConfig(String servers, String topic) {
        return String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1", stress("c1"), memory(),
                "a1.sinks.k1.type = org.apache.flume.sink.kafka.KafkaSink", "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.kafka.bootstrap.servers = " + servers, "a1.sinks.k1.kafka.topic = " + topic,
                "a1.sinks.k1.flumeBatchSize = 1000", "a1.sinks.k1.kafka.producer.acks = all",
                "a1.sinks.k1.kafka.producer.linger.ms = 5", "");
    }

    /** A Kafka source reading the filled topic from its start as {@code group}, into a memory channel. */
    static String filledSource(String servers, String group) {
        return String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1",
                "a1.sources.r1.type = org.apache.flume.source.kafka.KafkaSource", "a1.sources.r1.channels = c1",
                "a1.sources.r1.kafka.bootstrap.servers = " + servers, "a1.sources.r1.kafka.topics = " + FILLED,
                "a1.sources.r1.kafka.consumer.group.id = " + group,
                "a1.sources.r1.kafka.consumer.auto.offset.reset = earliest", "a1.sources.r1.batchSize = 1000",
                memory());
    }

    static String sourceConfig(String servers, String group) {
        return String.join("\n", filledSource(servers, group),
                "a1.sinks.k1.type = null", "a1.sinks.k1.batchSize = 1000", "a1.sinks.k1.channel = c1", "");
    }

    static String channelConfig(String servers, String topic) {
        return String.join("\n", "a1.sources = r1", "a1.channels = c1", "a1.sinks = k1", stress("c1"),
                "a1.channels.c1.type = org.apache.flume.channel.kafka.KafkaChannel",
                "a1.channels.c1.kafka.bootstrap.servers = " + servers, "a1.channels.c1.kafka.topic = " + topic,
                "a1.channels.c1.kafka.consumer.group.id = " + topic,
                "a1.sinks.k1.type = null", "a1.sinks.k1.batchSize = 1000", "a1.sinks.k1.channel = c1", "");
    }

    static String exactlyOnceConfig(String servers, String group) {
        return String.join("\n", filledSource(servers, group), "a1.sinks.k1.type = kafka", "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.kafka.bootstrap.servers = " + servers, "a1.sinks.k1.kafka.topic = " + group + "-out",
                "a1.sinks.k1.allowTopicOverride = false", "a1.sinks.k1.flumeBatchSize = 1000",
                "a1.sinks.k1.kafka.exactlyOnce = true", "a1.sinks.k1.kafka.producer.linger.ms = 5", "");
    }

    /** Sluice only: events/s at the exactly-once sink's EventDrainSuccessCount, median of the runs. */
    private static double exactlyOnceRate(BenchContext context, String servers) throws Exception {
        BenchOptions o = context.options();
        double[] rates = new double[o.runs()];
        for (int i = 1; i <= o.runs(); i++) {
            Path runDir = context.workDirectory().resolve("kafka-exactly-once").resolve("sluice-" + i);
            Files.createDirectories(runDir);
            Path conf = runDir.resolve("flume.conf");
            Files.writeString(conf, exactlyOnceConfig(servers, "eo-" + i));
            int port = FreePorts.tcp();
            try (ChildJvm agent = AgentSide.SLUICE.start(context.home(), o.jvmOptions(), "a1", conf, port, runDir)) {
                MetricsClient metrics = new MetricsClient(port);
                MetricsClient.Window w = awaitWindow(agent, metrics, o);
                rates[i - 1] = w.eventsPerSecond();
                context.log(String.format(Locale.ROOT, "kafka-exactly-once run %d/%d sluice eps=%.0f", i, o.runs(),
                        rates[i - 1]));
            }
        }
        Arrays.sort(rates);
        return rates[rates.length / 2];
    }

    private static MetricsClient.Window awaitWindow(ChildJvm agent, MetricsClient metrics, BenchOptions o)
            throws Exception {
        long deadline = System.currentTimeMillis() + 90_000;
        while (true) {
            if (!agent.isAlive() || System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("the exactly-once agent did not report a moving SINK.k1"
                        + ".EventDrainSuccessCount; log " + agent.logFile() + ":\n" + agent.logTail(40));
            }
            try {
                if (metrics.read("SINK.k1", "EventDrainSuccessCount").value() > 0) {
                    break;
                }
            } catch (IOException e) {
                // not serving yet
            }
            Thread.sleep(100);
        }
        return metrics.window("SINK.k1", "EventDrainSuccessCount", o.warmupSeconds(), o.windowSeconds());
    }
}
