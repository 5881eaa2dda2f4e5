package io.sluice.e2e.rtsql;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import io.sluice.kafka.testing.ExpectedWindows;
import io.sluice.kafka.testing.KafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Two real {@code sluice server} processes share one windowed flow over a keyed Kafka topic (a KRaft
 * broker in this JVM) through one consumer group while a producer keeps writing. One server is killed
 * with {@code kill -9} mid-stream; the other takes its partitions over. Every 1 s window of every key,
 * counted by the test from what it wrote, must be emitted by one server or the other with its full
 * count and sum; a window may be emitted twice (at least once) only by both servers, identical, never
 * twice by one. The killed server is then restarted on its data directory: its flow comes back from
 * the metastore, it rejoins the group, and the windows of what is written afterwards are again all
 * emitted between the two.
 */
class SqlKafkaScaleOutIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    /** A whole minute close to now: the broker refuses timestamps far from its clock. */
    private static final long BASE = System.currentTimeMillis() / 60_000 * 60_000;
    private static final String TOPIC = "clicks";
    private static final String GROUP = "clicks-per-user";
    private static final int PARTITIONS = 6;
    private static final int USERS = 30;
    /** Event time of the records after the restart: after the first flush records' windows. */
    private static final long PHASE_TWO = 400_000;
    private static final String FLOW = "SELECT user, WINDOW_START() AS ws, COUNT(*) AS c, SUM(n) AS s"
            + " FROM clicks GROUP BY user OVER TUMBLING INTERVAL 1 SECONDS";

    @TempDir
    Path dir;

    /** One server process, its port and token. */
    private record Server(ChildProcess process, int port, String token) {
        /** Starts a server process named {@code processName} on the data directory {@code work/name}; returns at once. */
        static ChildProcess launch(Path work, String name, String processName, int port) throws Exception {
            return SluiceCli.start(processName, work, "server", "--port", Integer.toString(port), "--data-dir",
                    work.resolve(name).toString());
        }

        /** Waits until the launched server {@code p} listens. */
        static Server ready(ChildProcess p, Path work, String name, int port) throws Exception {
            p.awaitLine("sluice server: listening on http://127.0.0.1:" + port, Duration.ofSeconds(90));
            return new Server(p, port, Files.readString(work.resolve(name).resolve("token")).trim());
        }

        HttpRequest.Builder request(String path) {
            return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30));
        }

        JsonNode statement(String sql) throws Exception {
            HttpResponse<String> r = HTTP.send(request("/v1/statements")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(Map.of("sql", sql)))).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(sql + ": " + r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        }

        JsonNode flow(int id) throws Exception {
            HttpResponse<String> r = HTTP.send(request("/v1/flows/" + id).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
            return JSON.readTree(r.body());
        }
    }

    /**
     * A flow's rows as one client receives them (as {@link ExpectedWindows#row}), read on its own
     * thread from a streamed answer until the server closes it or dies. A {@code skipped} line (the
     * client fell behind and the server skipped rows for it) is recorded: the test fails on it.
     */
    private static final class Rows {
        final List<String> rows = Collections.synchronizedList(new ArrayList<>());
        final AtomicReference<String> skipped = new AtomicReference<>();
        final AtomicReference<String> header = new AtomicReference<>();
        private final Thread reader;

        Rows(String name, HttpRequest request) {
            reader = new Thread(() -> read(request), "rows-" + name);
            reader.setDaemon(true);
            reader.start();
        }

        private void read(HttpRequest request) {
            try {
                HttpResponse<Stream<String>> r = HTTP.send(request, HttpResponse.BodyHandlers.ofLines());
                try (Stream<String> lines = r.body()) {
                    lines.forEach(this::accept);
                }
            } catch (IOException | UncheckedIOException e) {
                // the server was killed: the rows read so far are what this client got
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private void accept(String line) {
            try {
                JsonNode n = JSON.readTree(line);
                if (n.isArray()) {
                    if (!n.get(0).asText().equals("~flush")) {
                        rows.add(ExpectedWindows.row(n.get(0).asText(), n.get(1).asLong(), n.get(2).asLong(),
                                n.get(3).asLong()));
                    }
                } else if (n.has("skipped")) {
                    skipped.set(line);
                } else {
                    header.compareAndSet(null, line);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("not a JSON line: " + line, e);
            }
        }

        List<String> snapshot() {
            synchronized (rows) {
                return new ArrayList<>(rows);
            }
        }
    }

    /**
     * Writes keyed records at up to about 500 a second on its own thread, 2 ms of event time apart, in
     * batches of 10 each acknowledged before it is counted.
     */
    private static final class Writer implements AutoCloseable {
        final ExpectedWindows expected = new ExpectedWindows(1000, 1000);
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private final Thread thread;
        private volatile int written;

        Writer(KafkaBroker broker, long from) {
            thread = new Thread(() -> {
                try (KafkaProducer<byte[], byte[]> p = broker.producer(Map.of())) {
                    List<Future<RecordMetadata>> batch = new ArrayList<>();
                    for (int i = 0; running.get(); i += 10) {
                        batch.clear();
                        for (int j = i; j < i + 10; j++) {
                            String user = "u" + (j * 7 % USERS);
                            batch.add(p.send(new ProducerRecord<>(TOPIC, null, BASE + from + j * 2L,
                                    user.getBytes(StandardCharsets.UTF_8),
                                    (user + "," + j % 13).getBytes(StandardCharsets.UTF_8))));
                        }
                        for (int j = i; j < i + 10; j++) {
                            batch.get(j - i).get(); // acknowledged: only then is it expected
                            expected.add("u" + (j * 7 % USERS), BASE + from + j * 2L, j % 13);
                        }
                        written = i + 10;
                        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // pacing, not waiting
                    }
                } catch (Throwable e) {
                    failure.set(e);
                }
            }, "writer");
            thread.start();
        }

        int written() {
            return written;
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(failure.get()).as("the writer failed").isNull();
        }
    }

    /** One record per partition far ahead in event time, so that every window before it closes. */
    private static void flush(KafkaBroker broker, long at) throws Exception {
        try (KafkaProducer<byte[], byte[]> p = broker.producer(Map.of())) {
            for (int part = 0; part < PARTITIONS; part++) {
                p.send(new ProducerRecord<>(TOPIC, part, BASE + at, null, "~flush,0".getBytes(StandardCharsets.UTF_8)))
                        .get();
            }
        }
    }

    private static String stream(KafkaBroker broker) {
        return "CREATE STREAM clicks (user STRING NOT NULL, n BIGINT) FROM KAFKA TOPIC '" + TOPIC + "'"
                + " PROPERTIES ('bootstrap.servers' = '" + broker.bootstrapServers() + "', 'group.id' = '" + GROUP + "',"
                + " 'session.timeout.ms' = '6000', 'heartbeat.interval.ms' = '1000', 'auto.commit.interval.ms' = '500',"
                + " 'key.columns' = 'user')";
    }

    /** Declares the stream and starts the flow (id 1) on {@code s}, reading its rows from its first one. */
    private static Rows startFlow(Server s, KafkaBroker broker, String name) throws Exception {
        s.statement(stream(broker));
        Rows rows = new Rows(name, s.request("/v1/statements").POST(HttpRequest.BodyPublishers.ofString(
                JSON.writeValueAsString(Map.of("sql", FLOW, "watch", true)))).timeout(Duration.ofMinutes(10)).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> rows.header.get() != null);
        assertThat(rows.header.get()).contains("Started flow 1");
        return rows;
    }

    /** Every expected window is among {@code outputs}; none is partial or unknown; none is emitted twice by one server. */
    private static void assertEveryWindowOnceOrTwiceAcrossServers(List<String> want, List<List<String>> outputs) {
        Set<String> all = new HashSet<>();
        for (List<String> out : outputs) {
            all.addAll(out);
            Map<String, Integer> seen = new HashMap<>();
            out.forEach(r -> seen.merge(r, 1, Integer::sum));
            seen.forEach((row, n) -> assertThat(n).as("emitted %d times by one server: %s", n, row).isEqualTo(1));
        }
        assertThat(all).containsExactlyInAnyOrderElementsOf(want);
    }

    private static int holding(KafkaBroker broker, int partitions) {
        int n = 0;
        for (Set<TopicPartition> ps : broker.groupAssignment(GROUP).values()) {
            if (ps.size() == partitions) {
                n++;
            }
        }
        return n;
    }

    @Test
    void theSurvivorTakesOverEveryWindowAndTheKilledServerRejoins() throws Exception {
        try (KafkaBroker broker = KafkaBroker.start(dir.resolve("kafka"))) {
            broker.createTopic(TOPIC, PARTITIONS);
            int portA = Ports.free();
            int portB = Ports.free();
            // both JVMs start at once
            ChildProcess launchedA = Server.launch(dir, "server-a", "server-a", portA);
            ChildProcess launchedB = Server.launch(dir, "server-b", "server-b", portB);
            Server a = Server.ready(launchedA, dir, "server-a", portA);
            Server b = Server.ready(launchedB, dir, "server-b", portB);
            try {
                Rows fromA = startFlow(a, broker, "a");
                Rows fromB = startFlow(b, broker, "b");
                ExpectedWindows phaseOne;
                try (Writer w = new Writer(broker, 0)) {
                    phaseOne = w.expected;
                    // both servers hold partitions and emit windows
                    await().atMost(Duration.ofSeconds(60)).until(() -> broker.assignedMembers(GROUP) == 2
                            && !fromA.snapshot().isEmpty() && !fromB.snapshot().isEmpty());
                    a.process().kill();
                    int writtenAtKill = w.written();
                    // the survivor is given every partition after the session timeout, and reads on
                    await().atMost(Duration.ofSeconds(60)).until(() -> holding(broker, PARTITIONS) == 1);
                    long inAtTakeover = b.flow(1).get("eventsIn").asLong();
                    await().atMost(Duration.ofSeconds(30)).until(() -> b.flow(1).get("eventsIn").asLong()
                            > inAtTakeover + 500 && w.written() > writtenAtKill + 1000);
                }
                flush(broker, PHASE_TWO - 60_000);
                List<String> want = phaseOne.rows();
                List<String> emittedByA = fromA.snapshot();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    Set<String> got = new HashSet<>(emittedByA);
                    got.addAll(fromB.snapshot());
                    return got.containsAll(want);
                });
                assertThat(fromA.skipped.get()).as("rows skipped for a slow client").isNull();
                assertThat(fromB.skipped.get()).as("rows skipped for a slow client").isNull();
                assertEveryWindowOnceOrTwiceAcrossServers(want, List.of(emittedByA, fromB.snapshot()));
                assertThat(b.flow(1).get("rejected").asLong()).isZero();

                // the killed server comes back with its flow and rejoins the group
                a.process().close();
                a = Server.ready(Server.launch(dir, "server-a", "server-a-restarted", portA), dir, "server-a", portA);
                Server restarted = a;
                Rows again = new Rows("a-again", a.request("/v1/flows/1/watch").GET().timeout(Duration.ofMinutes(10))
                        .build());
                await().atMost(Duration.ofSeconds(30)).until(() -> again.header.get() != null);
                await().atMost(Duration.ofSeconds(60)).until(() -> broker.assignedMembers(GROUP) == 2);
                List<String> fromBBefore = fromB.snapshot();
                ExpectedWindows later;
                try (Writer w = new Writer(broker, PHASE_TWO)) {
                    later = w.expected;
                    await().atMost(Duration.ofSeconds(60)).until(() -> w.written() > 1500);
                }
                flush(broker, PHASE_TWO + 600_000);
                List<String> wantLater = later.rows();
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    Set<String> got = new HashSet<>(again.snapshot());
                    List<String> all = fromB.snapshot();
                    got.addAll(all.subList(fromBBefore.size(), all.size()));
                    return got.containsAll(wantLater);
                });
                List<String> bNow = fromB.snapshot();
                List<String> laterFromB = bNow.subList(fromBBefore.size(), bNow.size());
                assertThat(again.snapshot()).as("the restarted server emits windows of its partitions").isNotEmpty();
                assertThat(laterFromB).as("the survivor keeps its share").isNotEmpty();
                assertThat(restarted.flow(1).get("state").asText()).isEqualTo("RUNNING");
                assertThat(again.skipped.get()).isNull();
                assertEveryWindowOnceOrTwiceAcrossServers(wantLater, List.of(again.snapshot(), laterFromB));
            } finally {
                a.process().close();
                b.process().close();
            }
        }
    }
}
