package io.sluice.channel.file.spillable;

import io.sluice.api.ChannelFullException;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.channel.file.FileChannel;
import io.sluice.channel.file.FileChannelConfig;
import io.sluice.channel.file.TestChannels;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static io.sluice.channel.file.TestChannels.drain;
import static io.sluice.channel.file.TestChannels.event;
import static io.sluice.channel.file.TestChannels.putRange;
import static io.sluice.channel.file.TestChannels.range;
import static io.sluice.channel.file.TestChannels.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpillableMemoryChannelTest {
    @TempDir
    Path dir;

    private final List<SpillableMemoryChannel> open = new ArrayList<>();

    @AfterEach
    void stopAll() {
        open.forEach(SpillableMemoryChannel::stop);
    }

    @Test
    void takesDrainInPutOrderAcrossMemoryAndOverflow() {
        SpillableMemoryChannel ch = channel(10, 1000, 0, Long.MAX_VALUE);
        putRange(ch, 0, 6); // memory
        putRange(ch, 6, 16); // 6 + 10 > 10: overflow
        putRange(ch, 16, 20); // 6 + 4 fits: memory again
        putRange(ch, 20, 25); // overflow
        assertThat(ch.drainOrder()).isEqualTo("[m6, o10, m4, o5]");
        assertThat(ch.memorySize()).isEqualTo(10);
        assertThat(ch.overflowSize()).isEqualTo(15);
        // a batch never crosses from one side to the other
        assertThat(take(ch, 100)).isEqualTo(range(0, 6));
        assertThat(take(ch, 3)).isEqualTo(range(6, 9));
        putRange(ch, 25, 30); // memory has room again: memory, after everything else
        assertThat(drain(ch)).isEqualTo(range(9, 30));
        assertThat(ch.size()).isZero();
    }

    @Test
    void singleTakesFollowTheSameOrder() {
        SpillableMemoryChannel ch = channel(3, 1000, 0, Long.MAX_VALUE);
        putRange(ch, 0, 2);
        putRange(ch, 2, 5);
        putRange(ch, 5, 6);
        List<Integer> got = new ArrayList<>();
        while (ch.size() > 0) {
            try (Transaction tx = ch.getTransaction()) {
                tx.begin();
                Event e;
                while ((e = tx.take()) != null) {
                    got.add(TestChannels.number(e));
                }
                tx.commit();
            }
        }
        assertThat(got).isEqualTo(range(0, 6));
    }

    @Test
    void rolledBackTakesComeBackFirstInTheirOrderOnBothSides() {
        SpillableMemoryChannel ch = channel(5, 1000, 0, Long.MAX_VALUE);
        putRange(ch, 0, 5);
        putRange(ch, 5, 12);
        for (int round = 0; round < 2; round++) {
            try (Transaction tx = ch.getTransaction()) {
                tx.begin();
                List<Event> out = new ArrayList<>();
                tx.takeBatch(3, out);
                assertThat(out).extracting(TestChannels::number).isEqualTo(range(0, 3));
                tx.rollback();
            }
        }
        assertThat(take(ch, 5)).isEqualTo(range(0, 5));
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            List<Event> out = new ArrayList<>();
            tx.takeBatch(4, out);
            assertThat(out).extracting(TestChannels::number).isEqualTo(range(5, 9));
        } // closed while open: rolled back
        assertThat(ch.drainOrder()).isEqualTo("[o7]");
        assertThat(drain(ch)).isEqualTo(range(5, 12));
    }

    @Test
    void withoutOverflowAFullMemoryRefusesPutsNamingTheKey() {
        SpillableMemoryChannel ch = channel(10, 0, 0, Long.MAX_VALUE);
        putRange(ch, 0, 8);
        assertThatThrownBy(() -> putRange(ch, 8, 11)).isInstanceOf(ChannelFullException.class)
                .hasMessageContaining("it holds 8 of 10 events (memoryCapacity)")
                .hasMessageContaining("[a1.channels.c1].memoryCapacity");
        // a take holds its room until it commits
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.takeBatch(3, new ArrayList<>());
            assertThatThrownBy(() -> putRange(ch, 8, 11)).isInstanceOf(ChannelFullException.class);
            tx.commit();
        }
        putRange(ch, 8, 11);
        assertThat(drain(ch)).isEqualTo(range(3, 11));
    }

    @Test
    void byteCapacitySendsBigEventsToTheOverflow() {
        // 20 units of 100 bytes; a 250-byte body uses 3 units, so 6 of them fit in memory
        SpillableMemoryChannel ch = channel(1000, 1000, 0, 20);
        for (int i = 0; i < 8; i++) {
            try (Transaction tx = ch.getTransaction()) {
                tx.begin();
                tx.put(Event.builder().header("n", Integer.toString(i)).body(new byte[250]).build());
                tx.commit();
            }
        }
        assertThat(ch.drainOrder()).isEqualTo("[m6, o2]");
        assertThat(drain(ch)).isEqualTo(range(0, 8));
    }

    @Test
    void withoutOverflowAFullByteCapacityRefusesPutsNamingIt() {
        SpillableMemoryChannel ch = channel(1000, 0, 0, 5);
        putRange(ch, 0, 5);
        assertThatThrownBy(() -> putRange(ch, 5, 6)).isInstanceOf(ChannelFullException.class)
                .hasMessageContaining("5 of 5 units of 100 bytes").hasMessageContaining(".byteCapacity");
    }

    @Test
    void memoryCapacityZeroSendsEverythingToTheOverflow() {
        SpillableMemoryChannel ch = channel(0, 1000, 3, Long.MAX_VALUE);
        putRange(ch, 0, 10);
        assertThat(ch.drainOrder()).isEqualTo("[o10]");
        assertThat(drain(ch)).isEqualTo(range(0, 10));
    }

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void onceOverflowingPutsDoNotWaitForMemoryUntilEnoughIsFree() {
        // overflowTimeout is an hour: a put that waited for memory would time the test out
        SpillableMemoryChannel ch = channel(10, 1000, 3600, Long.MAX_VALUE);
        putRange(ch, 0, 8);
        putRange(ch, 8, 19); // 11 > memoryCapacity: can never fit, overflows at once and activates the overflow
        putRange(ch, 19, 24); // does not fit now: overflows without waiting
        putRange(ch, 24, 26); // fits: memory
        assertThat(ch.drainOrder()).isEqualTo("[m8, o16, m2]");
        assertThat(take(ch, 8)).isEqualTo(range(0, 8)); // 80% of memory free: the overflow is deactivated
        putRange(ch, 26, 30);
        assertThat(ch.drainOrder()).isEqualTo("[o16, m6]");
        assertThat(drain(ch)).isEqualTo(range(8, 30));
    }

    @Test
    void onlyTheOverflowSurvivesARestartAndItDrainsFirst() {
        SpillableMemoryChannel ch = channel(5, 1000, 0, Long.MAX_VALUE);
        putRange(ch, 0, 5); // memory
        putRange(ch, 5, 12); // overflow
        putRange(ch, 12, 15); // memory is still full: overflow
        assertThat(ch.drainOrder()).isEqualTo("[m5, o10]");
        ch.stop();
        open.remove(ch);
        SpillableMemoryChannel again = channel(5, 1000, 0, Long.MAX_VALUE);
        assertThat(again.drainOrder()).isEqualTo("[o10]");
        putRange(again, 100, 103);
        assertThat(drain(again)).isEqualTo(concat(range(5, 15), range(100, 103)));
    }

    @Test
    void aTransactionEitherPutsOrTakes() {
        SpillableMemoryChannel ch = channel(5, 0, 0, Long.MAX_VALUE);
        putRange(ch, 0, 2);
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.take();
            assertThatThrownBy(() -> tx.put(event(9))).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("either puts or takes");
        }
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.put(event(9));
            assertThatThrownBy(tx::take).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("either puts or takes");
        }
        assertThat(drain(ch)).isEqualTo(range(0, 2));
    }

    @Test
    void countersFollowBothSides() {
        ChannelCounter counter = new ChannelCounter("c1");
        SpillableMemoryChannel ch = channel(5, 1000, 0, Long.MAX_VALUE, counter);
        putRange(ch, 0, 5);
        putRange(ch, 5, 8);
        assertThat(counter.get(ChannelCounter.SIZE)).isEqualTo(8);
        assertThat(counter.get(ChannelCounter.CAPACITY)).isEqualTo(1005);
        assertThat(counter.get(ChannelCounter.PUT_SUCCESS)).isEqualTo(8);
        drain(ch);
        assertThat(counter.get(ChannelCounter.TAKE_SUCCESS)).isEqualTo(8);
        assertThat(counter.get(ChannelCounter.SIZE)).isZero();
    }

    private SpillableMemoryChannel channel(int memoryCapacity, int overflowCapacity, int overflowTimeout,
            long byteUnits) {
        return channel(memoryCapacity, overflowCapacity, overflowTimeout, byteUnits, new ChannelCounter("c1"));
    }

    private SpillableMemoryChannel channel(int memoryCapacity, int overflowCapacity, int overflowTimeout,
            long byteUnits, ChannelCounter counter) {
        FileChannelConfig fc = overflowCapacity == 0 ? null
                : FileChannelConfig.of(dir.resolve("checkpoint"), List.of(dir.resolve("data")))
                        .withCapacity(overflowCapacity, 100);
        SpillableMemoryConfig config = new SpillableMemoryConfig(memoryCapacity, overflowCapacity, overflowTimeout, 5,
                byteUnits, 100, 100, fc);
        FileChannel overflow = fc == null ? null
                : new FileChannel("c1-overflow", "[a1.channels.c1] overflow", fc, new ChannelCounter("c1-overflow"),
                        Clock.systemUTC());
        SpillableMemoryChannel ch = new SpillableMemoryChannel("c1", "[a1.channels.c1]", config, counter, overflow,
                Clock.systemUTC());
        ch.start();
        open.add(ch);
        return ch;
    }

    private static List<Integer> concat(List<Integer> a, List<Integer> b) {
        List<Integer> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }
}
