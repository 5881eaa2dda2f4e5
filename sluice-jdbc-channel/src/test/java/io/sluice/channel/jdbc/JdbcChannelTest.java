package io.sluice.channel.jdbc;

import io.sluice.api.ChannelException;
import io.sluice.api.ChannelFullException;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class JdbcChannelTest {
    @TempDir
    Path dir;

    private final List<JdbcChannel> open = new ArrayList<>();

    @AfterEach
    void stopAll() {
        open.forEach(JdbcChannel::stop);
    }

    @Test
    void eventsComeOutInCommitOrderWithHeadersAndBody() {
        JdbcChannel ch = start(JdbcChannelConfig.derby(dir.resolve("db")));
        putRange(ch, 0, 10);
        putRange(ch, 10, 25);
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            Event e = tx.take();
            assertThat(e.headers()).isEqualTo(Map.of("n", "0", "k", "v\u00e9"));
            assertThat(e.bodyAsString()).isEqualTo("event-0");
            tx.commit();
        }
        assertThat(drain(ch)).isEqualTo(range(1, 25));
        assertThat(ch.size()).isZero();
    }

    @Test
    void aRolledBackTakePutsItsEventsBackFirstInOrder() {
        JdbcChannel ch = start(JdbcChannelConfig.derby(dir.resolve("db")));
        putRange(ch, 0, 10);
        for (int round = 0; round < 2; round++) {
            try (Transaction tx = ch.getTransaction()) {
                tx.begin();
                List<Event> out = new ArrayList<>();
                tx.takeBatch(4, out);
                assertThat(numbers(out)).isEqualTo(range(0, 4));
                tx.rollback();
            }
        }
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.takeBatch(2, new ArrayList<>());
        } // closed open: rolled back
        assertThat(drain(ch)).isEqualTo(range(0, 10));
    }

    @Test
    void committedEventsSurviveARestartAndCommittedTakesDoNotComeBack() {
        JdbcChannelConfig config = JdbcChannelConfig.derby(dir.resolve("db"));
        JdbcChannel ch = start(config);
        putRange(ch, 0, 20);
        assertThat(take(ch, 5)).isEqualTo(range(0, 5));
        Transaction open = ch.getTransaction();
        open.begin();
        open.takeBatch(5, new ArrayList<>()); // never committed
        stop(ch);
        JdbcChannel again = start(config);
        assertThat(again.size()).isEqualTo(15);
        putRange(again, 100, 103);
        assertThat(drain(again)).isEqualTo(concat(range(5, 20), range(100, 103)));
    }

    @Test
    void maximumCapacityRefusesPutsNamingTheKey() {
        JdbcChannel ch = start(JdbcChannelConfig.derby(dir.resolve("db")).withMaximumCapacity(10));
        putRange(ch, 0, 8);
        assertThatThrownBy(() -> putRange(ch, 8, 11)).isInstanceOf(ChannelFullException.class)
                .hasMessageContaining("it holds 8 of 10 events (maximum.capacity)")
                .hasMessageContaining("[a1.channels.c1].maximum.capacity");
        assertThat(take(ch, 3)).isEqualTo(range(0, 3));
        putRange(ch, 8, 11);
        assertThat(drain(ch)).isEqualTo(range(3, 11));
    }

    @Test
    void twoChannelsShareOneDatabaseWithoutSeeingEachOther() {
        JdbcChannelConfig config = JdbcChannelConfig.derby(dir.resolve("db"));
        JdbcChannel c1 = start(config);
        JdbcChannel c2 = new JdbcChannel("c2", "[a1.channels.c2]", config, new ChannelCounter("c2"),
                Clock.systemUTC());
        c2.start();
        open.add(c2);
        putRange(c1, 0, 5);
        putRange(c2, 50, 53);
        assertThat(drain(c2)).isEqualTo(range(50, 53));
        assertThat(drain(c1)).isEqualTo(range(0, 5));
    }

    @Test
    void concurrentPuttersAndTakersLoseNothingAndKeepEachPuttersOrder() throws Exception {
        JdbcChannel ch = start(JdbcChannelConfig.derby(dir.resolve("db")));
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int p = 0; p < 3; p++) {
            int base = p * 100_000;
            threads.add(new Thread(() -> {
                try {
                    for (int b = 0; b < 20; b++) {
                        putRange(ch, base + b * 25, base + b * 25 + 25);
                    }
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        Map<Integer, List<Integer>> byPutter = new ConcurrentHashMap<>();
        List<Integer> taken = new CopyOnWriteArrayList<>();
        Thread taker = new Thread(() -> {
            try {
                while (taken.size() < 1500) {
                    taken.addAll(take(ch, 40));
                }
            } catch (Throwable t) {
                errors.add(t);
            }
        });
        threads.forEach(Thread::start);
        taker.start();
        for (Thread t : threads) {
            t.join(60_000);
        }
        taker.join(60_000);
        assertThat(errors).isEmpty();
        assertThat(taken).hasSize(1500).doesNotHaveDuplicates();
        for (int n : taken) {
            byPutter.computeIfAbsent(n / 100_000, k -> new ArrayList<>()).add(n);
        }
        byPutter.values().forEach(l -> assertThat(l).isSorted());
    }

    @Test
    void aMissingTableWithCreateSchemaFalseFailsTheStartWithTheStatementToRun() {
        JdbcChannelConfig d = JdbcChannelConfig.derby(dir.resolve("db"));
        JdbcChannelConfig noCreate = new JdbcChannelConfig(d.type(), d.driverClass(), d.url(), d.connectionProperties(),
                false, d.isolation(), 10, 0, Map.of());
        JdbcChannel ch = new JdbcChannel("c1", "[a1.channels.c1]", noCreate, new ChannelCounter("c1"),
                Clock.systemUTC());
        assertThatThrownBy(ch::start).isInstanceOf(ChannelException.class)
                .hasMessageContaining("does not exist").hasMessageContaining("create.schema is false")
                .hasMessageContaining("CREATE TABLE SLUICE_CHANNEL_EVENT");
    }

    private JdbcChannel start(JdbcChannelConfig config) {
        JdbcChannel ch = new JdbcChannel("c1", "[a1.channels.c1]", config, new ChannelCounter("c1"),
                Clock.systemUTC());
        ch.start();
        open.add(ch);
        return ch;
    }

    private void stop(JdbcChannel ch) {
        ch.stop();
        open.remove(ch);
    }

    static void putRange(JdbcChannel ch, int from, int to) {
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            for (int i = from; i < to; i++) {
                tx.put(Event.builder().header("n", Integer.toString(i)).header("k", "v\u00e9").body("event-" + i)
                        .build());
            }
            tx.commit();
        }
    }

    static List<Integer> take(JdbcChannel ch, int max) {
        List<Event> out = new ArrayList<>();
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.takeBatch(max, out);
            tx.commit();
        }
        return numbers(out);
    }

    static List<Integer> drain(JdbcChannel ch) {
        List<Integer> all = new ArrayList<>();
        while (true) {
            List<Integer> got = take(ch, 100);
            if (got.isEmpty()) {
                return all;
            }
            all.addAll(got);
        }
    }

    static List<Integer> numbers(List<Event> events) {
        List<Integer> out = new ArrayList<>();
        events.forEach(e -> out.add(Integer.parseInt(e.header("n"))));
        return out;
    }

    static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    private static List<Integer> concat(List<Integer> a, List<Integer> b) {
        List<Integer> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
