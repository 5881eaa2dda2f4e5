package io.sluice.channel.file;

import io.sluice.api.ChannelException;
import io.sluice.api.ChannelFullException;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.sluice.channel.file.TestChannels.drain;
import static io.sluice.channel.file.TestChannels.event;
import static io.sluice.channel.file.TestChannels.open;
import static io.sluice.channel.file.TestChannels.putRange;
import static io.sluice.channel.file.TestChannels.range;
import static io.sluice.channel.file.TestChannels.take;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FileChannelTest {
    @TempDir
    Path dir;

    @Test
    void committedPutsComeOutInOrderAcrossRestarts() {
        FileChannelConfig cfg = TestChannels.config(dir);
        FileChannel ch = open(cfg);
        putRange(ch, 0, 500);
        putRange(ch, 500, 1000);
        assertThat(take(ch, 100)).isEqualTo(range(0, 100));
        ch.stop();
        FileChannel again = open(cfg);
        assertThat(again.size()).isEqualTo(900);
        assertThat(drain(again)).isEqualTo(range(100, 1000));
        again.stop();
    }

    @Test
    void restartWithoutCheckpointReplaysTheLog() {
        FileChannelConfig cfg = TestChannels.config(dir).withLimits(1 << 20, 0, 30_000, 1 << 20, 3);
        FileChannelConfig noClose = new FileChannelConfig(cfg.checkpointDir(), cfg.dataDirs(), null, 1000, 100, 3,
                1 << 20, 0, 30_000, false, 0);
        FileChannel ch = open(noClose);
        for (int i = 0; i < 20; i++) {
            putRange(ch, i * 50, i * 50 + 50);
        }
        assertThat(take(ch, 75)).isEqualTo(range(0, 75));
        ch.stop();
        FileChannel again = open(noClose);
        assertThat(again.size()).isEqualTo(925);
        assertThat(drain(again)).isEqualTo(range(75, 1000));
        again.stop();
    }

    @Test
    void uncommittedPutIsNeverVisibleAndRolledBackTakeReturnsToTheHead() {
        FileChannel ch = open(TestChannels.config(dir));
        putRange(ch, 0, 10);
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.put(event(99));
            tx.rollback();
        }
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            assertThat(TestChannels.number(tx.take())).isEqualTo(0);
            assertThat(TestChannels.number(tx.take())).isEqualTo(1);
        }
        assertThat(drain(ch)).isEqualTo(range(0, 10));
        ch.stop();
    }

    @Test
    void fullChannelRefusesPutAfterKeepAlive() {
        FileChannelConfig cfg = TestChannels.config(dir).withCapacity(10, 10).withLimits(1 << 20, 0, 30_000, 0, 0);
        FileChannel ch = open(cfg);
        putRange(ch, 0, 10);
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            assertThatThrownBy(() -> tx.put(event(10))).isInstanceOf(ChannelFullException.class)
                    .hasMessageContaining("[a1.channels.c1] is full: capacity 10");
        }
        take(ch, 5);
        putRange(ch, 10, 15);
        assertThat(drain(ch)).isEqualTo(range(5, 15));
        ch.stop();
    }

    @Test
    void transactionCapacityIsEnforcedWithAClearMessage() {
        FileChannel ch = open(TestChannels.config(dir).withCapacity(100, 5));
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            for (int i = 0; i < 5; i++) {
                tx.put(event(i));
            }
            assertThatThrownBy(() -> tx.put(event(5))).isInstanceOf(ChannelException.class)
                    .hasMessageContaining("transactionCapacity");
        }
        assertThat(ch.size()).isZero();
        ch.stop();
    }

    @Test
    void eventsAreReadBackFromDiskWhenTheCacheIsOff() {
        FileChannelConfig cfg = TestChannels.config(dir).withLimits(1 << 20, 0, 30_000, 0, 3);
        FileChannel ch = open(cfg);
        putRange(ch, 0, 3000);
        List<Event> out = new ArrayList<>();
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.takeBatch(2, out);
            tx.commit();
        }
        assertThat(out.get(0).bodyAsString()).isEqualTo("event-0");
        assertThat(out.get(1).headers()).containsEntry("n", "1");
        assertThat(drain(ch)).isEqualTo(range(2, 3000));
        ch.stop();
    }

    @Test
    void segmentsAreDeletedWhenNothingPointsIntoThemWithoutRestart() throws Exception {
        FileChannelConfig cfg = TestChannels.config(dir).withLimits(16 * 1024, 0, 30_000, 1 << 20, 3);
        FileChannel ch = open(cfg);
        for (int i = 0; i < 40; i++) {
            putRange(ch, i * 100, i * 100 + 100);
        }
        long before = segmentCount();
        assertThat(before).isGreaterThan(5);
        assertThat(drain(ch)).hasSize(4000);
        ch.checkpoint();
        assertThat(segmentCount()).isLessThanOrEqualTo(2);
        putRange(ch, 0, 10);
        ch.stop();
        FileChannel again = open(cfg);
        assertThat(drain(again)).isEqualTo(range(0, 10));
        again.stop();
    }

    @Test
    void concurrentCommitsShareFsyncsAndLoseNothing() throws Exception {
        FileChannelConfig cfg = TestChannels.config(dir);
        FileChannel ch = open(cfg);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<?>> fs = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            int base = t * 10_000;
            fs.add(pool.submit(() -> {
                for (int b = 0; b < 100; b++) {
                    putRange(ch, base + b * 10, base + b * 10 + 10);
                }
            }));
        }
        for (Future<?> f : fs) {
            f.get(60, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(ch.counter().get("EventPutSuccessCount")).isEqualTo(8000);
        ch.stop();
        FileChannel again = open(cfg);
        List<Integer> all = drain(again);
        assertThat(all).hasSize(8000).doesNotHaveDuplicates();
        for (int t = 0; t < 8; t++) {
            int base = t * 10_000;
            assertThat(all.stream().filter(n -> n >= base && n < base + 10_000).toList())
                    .isEqualTo(range(base, base + 1000));
        }
        again.stop();
    }

    @Test
    void twoChannelsSharingADirectoryIsAnErrorNamingBoth() {
        FileChannel first = open(TestChannels.config(dir));
        FileChannel second = new FileChannel("c2", "[a1.channels.c2]", TestChannels.config(dir),
                new ChannelCounter("c2"), Clock.systemUTC());
        assertThatThrownBy(second::start).isInstanceOf(ChannelException.class)
                .hasMessageContaining("[a1.channels.c2]").hasMessageContaining("[a1.channels.c1]");
        first.stop();
        second.start();
        second.stop();
    }

    @Test
    void anEventDamagedOnDiskIsSkippedCountedAndTheRestDelivered() throws Exception {
        FileChannelConfig cfg = TestChannels.config(dir).withLimits(1 << 20, 0, 30_000, 0, 3);
        FileChannel ch = open(cfg);
        putRange(ch, 0, 10);
        ch.stop();
        Path seg;
        try (Stream<Path> s = Files.list(dir.resolve("data"))) {
            seg = s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().findFirst().orElseThrow();
        }
        long fifth = LogRecoveryTest.records(seg).get(5)[0];
        LogRecoveryTest.flip(seg, fifth + 30);
        FileChannel again = open(cfg);
        assertThat(drain(again)).containsExactly(0, 1, 2, 3, 4, 6, 7, 8, 9);
        assertThat(again.counter().get(FileChannel.CORRUPT_EVENTS)).isEqualTo(1);
        again.stop();
    }

    @Test
    void countersFollowFlumeNames() {
        FileChannel ch = open(TestChannels.config(dir).withCapacity(1000, 100));
        putRange(ch, 0, 50);
        take(ch, 20);
        var snap = ch.counter().snapshot();
        assertThat(snap.get("ChannelSize")).isEqualTo(30L);
        assertThat(snap.get("ChannelCapacity")).isEqualTo(1000L);
        assertThat(snap.get("ChannelFillPercentage")).isEqualTo(3.0);
        assertThat(snap.get("EventPutSuccessCount")).isEqualTo(50L);
        assertThat(snap.get("EventTakeSuccessCount")).isEqualTo(20L);
        ch.stop();
    }

    private long segmentCount() throws Exception {
        try (Stream<Path> s = Files.list(dir.resolve("data"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("segment-")).count();
        }
    }
}
