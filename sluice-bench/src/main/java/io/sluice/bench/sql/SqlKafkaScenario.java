package io.sluice.bench.sql;

import io.sluice.bench.BenchContext;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.bench.kafka.GrowingTopic;
import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.sql.Flow;
import io.sluice.sql.RtsqlEngine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code sql-kafka}: one rtsql engine against two sharing one flow over a pre-filled Kafka topic
 * ({@value #PARTITIONS} partitions, records keyed by user, in this JVM's KRaft broker). The topic is
 * sized to outlast every run: first for {@link #FIRST_MARGIN} times {@link #EXPECTED_EPS} records/s over the
 * warm-up, the window and {@value #SETTLE_SECONDS} s of start (at least {@value #MIN_RECORDS}
 * records), then before each run to {@link #MARGIN} times what the busiest run so far read, and it
 * is doubled after a run refused for coming near its end. Each engine is one member of the flow's consumer group and does all its work on its one
 * reader thread (one worker thread per "server"); both sides read the same records with the same
 * CPU-heavy flow ({@link #FLOW}: a hopping window of 10 s every 1 s, a regex per row, a distinct
 * count) and the same consumer settings. A fresh group per run reads the topic from its start.
 *
 * <p>What is measured is steady-state sharing, not group joins: the timed part opens only once every
 * engine holds partitions, the assignment has stayed the same for {@value #STABLE_MS} ms and the
 * warm-up ({@code --warmup}) since the flows started has passed; it lasts {@code --seconds} (10 by
 * default) and counts the records the flows took in meanwhile. A run is invalid, logged as such and
 * retried (up to {@value #ATTEMPTS} times), when the assignment changed during the timed part, an
 * engine took in nothing, or the flows came within a tenth of the topic's end (the rate would then
 * count idle time). ratio = two engines over one. Engines, broker and client share this JVM and its
 * cores.
 */
public final class SqlKafkaScenario implements Scenario {
    static final int PARTITIONS = 8;
    /** The least the topic holds. */
    static final long MIN_RECORDS = 8_000_000;
    /**
     * The two-engine rate the topic is first sized for (records/s; {@code -Dsluice.bench.sqlKafka.expectedEps}):
     * above the ~830,000 two engines reach on a quiet 2-core machine.
     */
    static final long EXPECTED_EPS = 1_000_000;
    /**
     * The topic first holds this many times what a run at {@link #EXPECTED_EPS} reads (a bigger first fill
     * costs fill time on every invocation; the busiest run then sizes it).
     */
    static final double FIRST_MARGIN = 1.25;
    /** Before each run the topic holds this many times what the busiest run so far read. */
    static final double MARGIN = 2.0;
    /** Seconds for the flows to start and the group to settle, on top of warm-up and window. */
    static final int SETTLE_SECONDS = 5;
    /** About what one record takes on disk (key, value and the record's overhead in a batch). */
    private static final long BYTES_PER_RECORD = 50;
    static final long STABLE_MS = 1_000;
    static final int ATTEMPTS = 3;
    static final String FLOW = "SELECT user, COUNT(*) AS c, SUM(n) AS s, COUNT(DISTINCT page) AS pages,"
            + " AVG(LENGTH(REGEXP_EXTRACT(page, '([a-z]+)/([0-9]+)'))) AS l"
            + " FROM clicks GROUP BY user OVER HOPPING INTERVAL 10 SECONDS ADVANCE INTERVAL 1 SECONDS";
    private static final String TOPIC = "clicks";
    /**
     * Event times start a day ago and advance 1 ms per 4 records, so a topic of up to 345 M records
     * stays in the past (the broker refuses timestamps more than an hour ahead) and within the
     * broker's retention (7 days).
     */
    private static final long BASE = System.currentTimeMillis() - TimeUnit.DAYS.toMillis(1);

    @Override
    public String name() {
        return "sql-kafka";
    }

    @Override
    public String description() {
        return "a CPU-heavy rtsql flow over a pre-filled 8-partition Kafka topic: two engines in one group over one";
    }

    @Override
    public List<Comparison> run(BenchContext context) throws Exception {
        Path dir = context.workDirectory().resolve(name());
        Files.createDirectories(dir);
        List<Double> one = new ArrayList<>();
        List<Double> two = new ArrayList<>();
        Path brokerDir = dir.resolve("broker");
        try (KafkaBroker broker = KafkaBroker.start(brokerDir)) {
            broker.createTopic(TOPIC, PARTITIONS);
            GrowingTopic topic = new GrowingTopic(broker, TOPIC, brokerDir, BYTES_PER_RECORD,
                    Map.of("linger.ms", "20", "batch.size", "262144"), SqlKafkaScenario::record, context::log);
            long expected = Long.getLong("sluice.bench.sqlKafka.expectedEps", EXPECTED_EPS);
            topic.growTo(Math.max(MIN_RECORDS, (long) Math.ceil(FIRST_MARGIN * expected * runSeconds(context))));
            Sizing sizing = new Sizing(topic);
            long t0 = System.nanoTime();
            for (int i = 1; i <= context.options().runs(); i++) {
                one.add(measure(context, broker, sizing, 1, i));
                two.add(measure(context, broker, sizing, 2, i));
            }
            context.log(String.format(Locale.ROOT, "sql-kafka: the runs took %.0f s; the topic holds %d records, the"
                    + " busiest run read %d", (System.nanoTime() - t0) / 1e9, topic.records(), sizing.mostRead));
        } finally {
            GrowingTopic.deleteTree(brokerDir);
        }
        context.log(String.format(Locale.ROOT, "scenario=%s one=%d two=%d ratio=%.2f", name(),
                Math.round(Comparison.median(one)), Math.round(Comparison.median(two)),
                Comparison.median(two) / Comparison.median(one)));
        return List.of(new Comparison(name(), "one", two, one));
    }

    private static long runSeconds(BenchContext context) {
        return context.options().warmupSeconds() + context.options().windowSeconds() + SETTLE_SECONDS;
    }

    /** Record {@code i} of the topic: keyed by user, 4 per ms of event time from {@link #BASE}. */
    static ProducerRecord<byte[], byte[]> record(long i) {
        String user = "user" + (i * 31 % 500);
        String value = user + "," + (i % 97) + ",section" + (char) ('a' + i % 26) + "/" + (i % 1000);
        return new ProducerRecord<>(TOPIC, null, BASE + i / 4, user.getBytes(StandardCharsets.UTF_8),
                value.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Keeps the topic ahead of the readers: before each run it holds at least {@link #MARGIN} times what
     * the busiest run so far read, and a run refused for coming near its end doubles it.
     */
    private static final class Sizing {
        final GrowingTopic topic;
        long mostRead;

        Sizing(GrowingTopic topic) {
            this.topic = topic;
        }

        void beforeRun() throws IOException {
            topic.growTo((long) Math.ceil(MARGIN * mostRead));
        }

        void read(long total, boolean nearEnd) throws IOException {
            mostRead = Math.max(mostRead, total);
            if (nearEnd) {
                topic.growTo(2 * topic.records());
            }
        }
    }

    private static double measure(BenchContext context, KafkaBroker broker, Sizing sizing, int engines, int run)
            throws Exception {
        for (int attempt = 1; ; attempt++) {
            sizing.beforeRun();
            Timed t = timedRun(context, broker, sizing.topic.records(), engines);
            sizing.read(t.total(), t.nearEnd());
            String split = t.split();
            if (t.invalid() == null) {
                context.log(String.format(Locale.ROOT, "run %d %d engine(s): %.0f records/s (%d records in %.2f s of"
                        + " stable assignment, opened %.2f s after start; per engine %s; partitions %s; late %d)", run,
                        engines, t.rate(), t.records(), t.seconds(), t.openedAfter(), split, t.partitions(), t.late()));
                return t.rate();
            }
            context.log(String.format(Locale.ROOT, "run %d %d engine(s): invalid (%s; per engine %s)%s", run,
                    engines, t.invalid(), split, attempt < ATTEMPTS ? ", retrying" : ""));
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException("sql-kafka: run " + run + " with " + engines + " engine(s) was invalid "
                        + ATTEMPTS + " times in a row; last: " + t.invalid());
            }
        }
    }

    /** One timed part: per engine the records taken in, the assignment at both ends, and why it is invalid (or null). */
    private record Timed(long[] perEngine, double seconds, double openedAfter, List<Integer> partitions, long late,
            long total, boolean nearEnd, String invalid) {
        long records() {
            long n = 0;
            for (long e : perEngine) {
                n += e;
            }
            return n;
        }

        double rate() {
            return records() / seconds;
        }

        String split() {
            StringBuilder b = new StringBuilder();
            for (long e : perEngine) {
                b.append(b.length() == 0 ? "" : "/").append(e);
            }
            return b.toString();
        }
    }

    private static Timed timedRun(BenchContext context, KafkaBroker broker, long records, int engines)
            throws Exception {
        String group = "bench-" + UUID.randomUUID();
        List<RtsqlEngine> started = new ArrayList<>();
        List<Flow> flows = new ArrayList<>();
        try {
            for (int i = 0; i < engines; i++) {
                RtsqlEngine e = new RtsqlEngine();
                started.add(e);
                e.execute("CREATE STREAM clicks (user STRING, n BIGINT, page STRING) FROM KAFKA TOPIC '" + TOPIC + "'"
                        + " PROPERTIES ('bootstrap.servers' = '" + broker.bootstrapServers() + "', 'group.id' = '"
                        + group + "')");
            }
            long start = System.nanoTime();
            for (RtsqlEngine e : started) {
                flows.add(e.execute(FLOW, row -> { }).flow().orElseThrow());
            }
            Map<String, Set<TopicPartition>> before = stableAssignment(broker, group, engines, start,
                    TimeUnit.SECONDS.toNanos(context.options().warmupSeconds()));
            long t0 = System.nanoTime();
            long[] e0 = eventsIn(flows);
            long window = TimeUnit.SECONDS.toNanos(context.options().windowSeconds());
            while (System.nanoTime() - t0 < window) {
                LockSupport.parkNanos(Math.min(window - (System.nanoTime() - t0), TimeUnit.MILLISECONDS.toNanos(200)));
            }
            long[] e1 = eventsIn(flows);
            double seconds = (System.nanoTime() - t0) / 1e9;
            Map<String, Set<TopicPartition>> after = broker.groupAssignment(group);
            long[] delta = new long[engines];
            long total = 0;
            for (int i = 0; i < engines; i++) {
                delta[i] = e1[i] - e0[i];
                total += e1[i];
            }
            String invalid = null;
            boolean nearEnd = total > records * 9L / 10;
            if (!after.equals(before)) {
                invalid = "the assignment changed during the timed part: " + before + " -> " + after;
            } else if (Arrays.stream(delta).anyMatch(d -> d == 0)) {
                invalid = "an engine took in no record during the timed part";
            } else if (nearEnd) {
                invalid = "the flows read " + total + " of " + records + " records: too close to the topic's end for a"
                        + " steady rate; the topic is doubled before the next try";
            }
            List<Integer> partitions = new ArrayList<>();
            before.values().forEach(ps -> partitions.add(ps.size()));
            return new Timed(delta, seconds, (t0 - start) / 1e9, partitions,
                    flows.stream().mapToLong(f -> f.counters().late()).sum(), total, nearEnd, invalid);
        } finally {
            for (RtsqlEngine e : started) {
                e.close();
            }
        }
    }

    /**
     * Waits until each of the {@code engines} members of {@code group} holds partitions, the assignment has
     * stayed the same for {@link #STABLE_MS} ms, and {@code warmupNanos} have passed since {@code start};
     * returns that assignment.
     */
    private static Map<String, Set<TopicPartition>> stableAssignment(KafkaBroker broker, String group, int engines,
            long start, long warmupNanos) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        Map<String, Set<TopicPartition>> seen = Map.of();
        long seenSince = System.nanoTime();
        while (true) {
            Map<String, Set<TopicPartition>> now = broker.groupAssignment(group);
            long t = System.nanoTime();
            if (!now.equals(seen)) {
                seen = now;
                seenSince = t;
            }
            boolean everyoneHolds = seen.size() == engines && seen.values().stream().noneMatch(Set::isEmpty);
            if (everyoneHolds && t - seenSince >= TimeUnit.MILLISECONDS.toNanos(STABLE_MS) && t - start >= warmupNanos) {
                return seen;
            }
            waitUntil(deadline, "the group's " + engines + " members to hold partitions in a stable assignment"
                    + " (last seen: " + seen + ")");
        }
    }

    private static long[] eventsIn(List<Flow> flows) {
        return flows.stream().mapToLong(f -> f.counters().eventsIn()).toArray();
    }

    private static void waitUntil(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("sql-kafka: gave up waiting for " + what);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
    }
}
