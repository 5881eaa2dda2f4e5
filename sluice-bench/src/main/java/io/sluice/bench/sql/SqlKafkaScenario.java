package io.sluice.bench.sql;

import io.sluice.bench.BenchContext;
import io.sluice.bench.Comparison;
import io.sluice.bench.Scenario;
import io.sluice.kafka.testing.KafkaBroker;
import io.sluice.sql.Flow;
import io.sluice.sql.RtsqlEngine;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * {@code sql-kafka}: one rtsql engine against two sharing one flow over a pre-filled Kafka topic
 * ({@value #PARTITIONS} partitions, {@value #RECORDS} records keyed by user, in this JVM's KRaft
 * broker). Each engine is one member of the flow's consumer group and does all its work on its one
 * reader thread (one worker thread per "server"); both sides read the same records with the same
 * CPU-heavy flow ({@link #FLOW}: a hopping window of 10 s every 1 s, a regex per row, a distinct
 * count). A fresh group per run reads the topic from its start. Throughput counts the records the
 * flows took in from the moment every member had its partitions to the last record, over that time.
 * ratio = two engines over one. Engines, broker and client share this JVM and its cores.
 */
public final class SqlKafkaScenario implements Scenario {
    static final int PARTITIONS = 8;
    static final int RECORDS = 400_000;
    static final String FLOW = "SELECT user, COUNT(*) AS c, SUM(n) AS s, COUNT(DISTINCT page) AS pages,"
            + " AVG(LENGTH(REGEXP_EXTRACT(page, '([a-z]+)/([0-9]+)'))) AS l"
            + " FROM clicks GROUP BY user OVER HOPPING INTERVAL 10 SECONDS ADVANCE INTERVAL 1 SECONDS";
    private static final String TOPIC = "clicks";
    /** Event times end about now: the broker deletes records older than its retention (7 days). */
    private static final long BASE = System.currentTimeMillis() - RECORDS / 4;

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
        try (KafkaBroker broker = KafkaBroker.start(dir)) {
            broker.createTopic(TOPIC, PARTITIONS);
            fill(broker);
            for (int i = 1; i <= context.options().runs(); i++) {
                one.add(measure(context, broker, 1, i));
                two.add(measure(context, broker, 2, i));
            }
        }
        context.log(String.format(Locale.ROOT, "scenario=%s one=%d two=%d ratio=%.2f", name(),
                Math.round(Comparison.median(one)), Math.round(Comparison.median(two)),
                Comparison.median(two) / Comparison.median(one)));
        return List.of(new Comparison(name(), "one", two, one));
    }

    private static void fill(KafkaBroker broker) {
        try (KafkaProducer<byte[], byte[]> p = broker.producer(Map.of("linger.ms", "20", "batch.size", "262144"))) {
            for (int i = 0; i < RECORDS; i++) {
                String user = "user" + (i * 31 % 500);
                String value = user + "," + (i % 97) + ",section" + (char) ('a' + i % 26) + "/" + (i % 1000);
                p.send(new ProducerRecord<>(TOPIC, null, BASE + i / 4, user.getBytes(StandardCharsets.UTF_8),
                        value.getBytes(StandardCharsets.UTF_8)));
            }
            p.flush();
        }
    }

    private static double measure(BenchContext context, KafkaBroker broker, int engines, int run) throws Exception {
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
            for (RtsqlEngine e : started) {
                flows.add(e.execute(FLOW, row -> { }).flow().orElseThrow());
            }
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
            try (Admin admin = broker.admin()) {
                while (assigned(admin, group) < engines) {
                    waitUntil(deadline, "the group's " + engines + " members to get their partitions");
                }
            }
            long t0 = System.nanoTime();
            long e0 = eventsIn(flows);
            long deadlineAll = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (eventsIn(flows) < RECORDS) {
                waitUntil(deadlineAll, "every record to be read");
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            double eps = (RECORDS - e0) / seconds;
            StringBuilder split = new StringBuilder();
            for (Flow f : flows) {
                split.append(split.length() == 0 ? "" : "/").append(f.counters().eventsIn());
            }
            context.log(String.format(Locale.ROOT, "run %d %s engine(s): %.0f records/s (%d records in %.2f s after"
                    + " assignment; per engine %s; late %d)", run, engines, eps, RECORDS - e0, seconds, split,
                    flows.stream().mapToLong(f -> f.counters().late()).sum()));
            return eps;
        } finally {
            for (RtsqlEngine e : started) {
                e.close();
            }
        }
    }

    private static long eventsIn(List<Flow> flows) {
        return flows.stream().mapToLong(f -> f.counters().eventsIn()).sum();
    }

    private static void waitUntil(long deadline, String what) {
        if (System.nanoTime() > deadline) {
            throw new IllegalStateException("sql-kafka: gave up waiting for " + what);
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
    }

    private static int assigned(Admin admin, String group) throws Exception {
        ConsumerGroupDescription d;
        try {
            d = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof GroupIdNotFoundException) {
                return 0; // no member has joined yet
            }
            throw e;
        }
        int n = 0;
        for (MemberDescription m : d.members()) {
            if (!m.assignment().topicPartitions().isEmpty()) {
                n++;
            }
        }
        return n;
    }
}
