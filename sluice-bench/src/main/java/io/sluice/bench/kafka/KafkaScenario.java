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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * {@code kafka}: one broker (KRaft, in this JVM), 100-byte events, three side-by-side lines:
 * {@code kafka-sink} (stress source, memory channel, Kafka sink, measured at the sink's
 * {@code EventDrainSuccessCount}), {@code kafka-source} (a pre-filled topic, Kafka source, memory
 * channel, null sink, at the source's {@code EventAcceptedCount}; the topic is sized from a short
 * probe of each side so that neither reaches its end within a run, and a run that came near it is
 * refused and repeated on a doubled topic) and {@code kafka-channel} (stress
 * source, Kafka channel, null sink, at the channel's {@code EventTakeSuccessCount}). Every run writes to
 * or reads as its own topic or group. Then the rate of Sluice's exactly-once sink copying the
 * pre-filled topic ({@code kafka.exactlyOnce = true}; Apache Flume has none), beside the plain sink's.
 */
public final class KafkaScenario implements Scenario {
    private static final int BODY = 100;
    private static final String FILLED = "bench-filled";
    /** A 100-byte record on disk: its body and the record's own overhead in a batch (an estimate). */
    private static final long BYTES_PER_RECORD = 110;
    /** The lines this scenario can run; {@code -Dsluice.bench.kafka=source,sink} runs only those. */
    static final List<String> LINES = List.of("sink", "source", "channel", "exactly-once");
    /** The filled topic holds this many times what the fastest probe reads in a run. */
    static final double MARGIN = 2.0;
    /** A source run that read this share of the filled topic by its window's end is refused. */
    static final double NEAR_END = 0.9;
    /** Seconds allowed for an agent to start and its source to join the group, on top of warm-up and window. */
    static final int SETTLE_SECONDS = 5;

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
        long initial = Long.getLong("sluice.bench.kafkaRecords", 3_000_000L);
        Set<String> lines = Set.of(System.getProperty("sluice.bench.kafka", String.join(",", LINES)).split(","));
        for (String l : lines) {
            if (!LINES.contains(l)) {
                throw new IllegalArgumentException("-Dsluice.bench.kafka: unknown line '" + l + "'; known: " + LINES);
            }
        }
        Path brokerDir = context.workDirectory().resolve("kafka-broker");
        List<Comparison> out = new ArrayList<>();
        try (KafkaBroker broker = KafkaBroker.start(brokerDir, Map.of("num.partitions", "4"))) {
            String servers = broker.bootstrapServers();
            broker.createTopic(FILLED, 4);
            byte[] body = new byte[BODY];
            Arrays.fill(body, (byte) 'x');
            GrowingTopic filled = new GrowingTopic(broker, FILLED, brokerDir, BYTES_PER_RECORD,
                    Map.of("linger.ms", 20, "batch.size", 524288, "acks", "1"), i -> new ProducerRecord<>(FILLED, body),
                    context::log);
            filled.growTo(initial);
            Comparison sink = null;
            if (lines.contains("sink")) {
                // Each run's output topic is made before its agent starts, with the broker's 4 partitions, so neither
                // side's measured time includes creating a topic (Sluice's sink and channel wait for a new topic's
                // leaders before the first write, see TopicReadiness; Apache Flume's do not). Both sides get the
                // same topics.
                sink = new SideBySideAgents("kafka-sink", "a1", (side, dir) -> sinkConfig(servers,
                        created(broker, topic(dir))), "SINK.k1", "EventDrainSuccessCount").run(context);
                out.add(sink);
            }
            if (lines.contains("source")) {
                out.add(sourceRuns(context, servers, filled));
            }
            if (lines.contains("channel")) {
                out.add(new SideBySideAgents("kafka-channel", "a1",
                        (side, dir) -> channelConfig(servers, created(broker, topic(dir))), "CHANNEL.c1",
                        "EventTakeSuccessCount")
                        .run(context));
            }
            if (lines.contains("exactly-once")) {
                double eo = exactlyOnceRate(context, servers);
                context.log(String.format(Locale.ROOT, "scenario=kafka-exactly-once sluice=%.0f events/s%s", eo,
                        sink == null ? "" : String.format(Locale.ROOT, " (plain Kafka sink: %.0f events/s)",
                                sink.sluiceMedian())));
            }
        } finally {
            GrowingTopic.deleteTree(brokerDir);
        }
        return out;
    }

    /**
     * {@code kafka-source}: sizes the filled topic so that neither side can reach its end within a run
     * (from a short probe of each side, then before each run twice what the busiest run so far read),
     * then measures both sides; a run whose source read 90 % of the topic by its window's end is
     * refused, the topic doubled, and the run repeated.
     */
    private static Comparison sourceRuns(BenchContext context, String servers, GrowingTopic filled) throws Exception {
        BenchOptions o = context.options();
        double fastest = 0;
        for (AgentSide side : List.of(AgentSide.FLUME, AgentSide.SLUICE)) {
            double r = probe(context, servers, filled, side);
            context.log(String.format(Locale.ROOT, "kafka-source probe %-6s peak %.0f events/s over 1 s", side.label(),
                    r));
            fastest = Math.max(fastest, r);
        }
        long runSeconds = o.warmupSeconds() + o.windowSeconds() + SETTLE_SECONDS;
        long wanted = (long) Math.ceil(MARGIN * fastest * runSeconds);
        context.log(String.format(Locale.ROOT, "kafka-source: the topic needs %d records (%.0f x the fastest probe"
                + " over %d s of warm-up, window and start); it holds %d", wanted, MARGIN, runSeconds,
                filled.records()));
        filled.growTo(wanted);
        AtomicBoolean grow = new AtomicBoolean();
        AtomicLong mostRead = new AtomicLong();
        return new SideBySideAgents("kafka-source", "a1", (side, dir) -> {
            filled.growTo((long) Math.ceil(MARGIN * mostRead.get()));
            if (grow.getAndSet(false)) {
                filled.growTo(2 * filled.records());
            }
            return sourceConfig(servers, topic(dir));
        }, "SOURCE.r1", "EventAcceptedCount").withCheck((side, end) -> {
            mostRead.accumulateAndGet(end, Math::max);
            if (end < NEAR_END * filled.records()) {
                return null;
            }
            grow.set(true);
            return "the source had read " + end + " of the topic's " + filled.records() + " records when its window"
                    + " closed: too close to the end for a steady rate; the topic is doubled before the next try";
        }).run(context);
    }

    /**
     * Runs {@code side} reading the filled topic for at most the warm-up, sampling its counter every
     * 250 ms, and returns its highest rate over 1 s while it was below 80 % of the topic.
     */
    private static double probe(BenchContext context, String servers, GrowingTopic filled, AgentSide side)
            throws Exception {
        BenchOptions o = context.options();
        Path runDir = context.workDirectory().resolve("kafka-source-probe").resolve(side.label());
        Files.createDirectories(runDir);
        Path conf = runDir.resolve("flume.conf");
        Files.writeString(conf, sourceConfig(servers, "probe-" + side.label()));
        int port = FreePorts.tcp();
        try (ChildJvm agent = side.start(context.home(), o.jvmOptions(), "a1", conf, port, runDir)) {
            MetricsClient metrics = new MetricsClient(port);
            SideBySideAgents.awaitMoving(agent, metrics, "SOURCE.r1", "EventAcceptedCount");
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(2, o.warmupSeconds()));
            Deque<MetricsClient.Reading> last = new ArrayDeque<>();
            double peak = 0;
            while (System.nanoTime() < until) {
                MetricsClient.Reading r = metrics.read("SOURCE.r1", "EventAcceptedCount");
                if (r.value() >= 0.8 * filled.records()) {
                    break;
                }
                last.addLast(r);
                while (r.nanoTime() - last.peekFirst().nanoTime() > 1_100_000_000L) {
                    last.removeFirst();
                }
                MetricsClient.Reading first = last.peekFirst();
                if (r.nanoTime() - first.nanoTime() >= 900_000_000L) {
                    peak = Math.max(peak, (r.value() - first.value()) * 1e9 / (r.nanoTime() - first.nanoTime()));
                }
                Thread.sleep(250);
            }
            if (peak == 0) {
                throw new IllegalStateException(side.label() + "'s probe saw no full second below 80 % of the topic's "
                        + filled.records() + " records: raise -Dsluice.bench.kafkaRecords; log " + agent.logFile());
            }
            return peak;
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

    static String stress(String channel) {
        return stress("r1", channel, 1000);
    }

    /** Stress source {@code name} putting {@code BODY}-byte events into {@code channel}, {@code batchSize} per put. */
    static String stress(String name, String channel, int batchSize) {
        String p = "a1.sources." + name + ".";
        return String.join("\n", p + "type = org.apache.flume.source.StressSource", p + "size = " + BODY,
                p + "batchSize = " + batchSize, p + "channels = " + channel);
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

    /**
     * The {@code kafka-channel} agent: {@code -Dsluice.bench.kafka.channelSources=N} (default 1) stress
     * sources put into the channel, each in transactions of {@code -Dsluice.bench.kafka.channelBatch} events
     * (default 1000), to see how a channel bound by each put's round trip grows with bigger puts or more
     * putting threads; both sides get the same file.
     */
    static String channelConfig(String servers, String topic) {
        int sources = Integer.getInteger("sluice.bench.kafka.channelSources", 1);
        int batch = Integer.getInteger("sluice.bench.kafka.channelBatch", 1000);
        List<String> lines = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (int i = 1; i <= sources; i++) {
            names.add("r" + i);
            lines.add(stress("r" + i, "c1", batch));
        }
        return String.join("\n", "a1.sources = " + String.join(" ", names), "a1.channels = c1", "a1.sinks = k1",
                String.join("\n", lines),
                "a1.channels.c1.type = org.apache.flume.channel.kafka.KafkaChannel",
                "a1.channels.c1.kafka.bootstrap.servers = " + servers, "a1.channels.c1.kafka.topic = " + topic,
                "a1.channels.c1.kafka.consumer.group.id = " + topic,
                "a1.sinks.k1.type = null", "a1.sinks.k1.batchSize = 1000", "a1.sinks.k1.channel = c1", "");
    }

    static String exactlyOnceConfig(String servers, String group) {
        return String.join("\n", filledSource(servers, group), "a1.sinks.k1.type = kafka", "a1.sinks.k1.channel = c1",
                "a1.sinks.k1.kafka.bootstrap.servers = " + servers, "a1.sinks.k1.kafka.topic = " + group + "-out",
                "a1.sinks.k1.allowTopicOverride = false", "a1.sinks.k1.flumeBatchSize = 1000",
                "a1.sinks.k1.kafka.exactlyOnce = true", "a1.sinks.k1.kafka.producer.linger.ms = 5",
                exactlyOnceOverride("maxEvents"), exactlyOnceOverride("commitIntervalMs"), "");
    }

    /**
     * {@code -Dsluice.bench.kafkaExactlyOnce.<name>=<value>} sets the sink's
     * {@code kafka.exactlyOnce.<name>} (to measure what a transaction's size costs); unset: the default.
     */
    private static String exactlyOnceOverride(String name) {
        String v = System.getProperty("sluice.bench.kafkaExactlyOnce." + name);
        return v == null ? "" : "a1.sinks.k1.kafka.exactlyOnce." + name + " = " + v.trim();
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
