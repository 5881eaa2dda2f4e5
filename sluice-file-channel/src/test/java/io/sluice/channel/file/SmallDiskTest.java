package io.sluice.channel.file;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.channel.file.log.LogWriter;
import io.sluice.testing.SmallDisk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real small file system (tmpfs of 4 MB, mounted by the test; needs root, skipped otherwise, and failing with CI=true)
 * fills up while the channel runs: puts are refused with a clear error, committed events are
 * unharmed, and the channel accepts puts again by itself once space returns.
 */
class SmallDiskTest {
    @TempDir
    Path tmp;
    Path disk;
    SmallDisk smallDisk;

    @BeforeEach
    void mount() throws Exception {
        smallDisk = SmallDisk.mount(tmp.resolve("disk"), "4m");
        disk = smallDisk.path();
    }

    @AfterEach
    void unmount() throws Exception {
        if (smallDisk != null) {
            smallDisk.close();
        }
    }

    @Test
    void belowMinimumRequiredSpacePutsAreRefusedAndResumeWhenSpaceReturns() throws Exception {
        FileChannelConfig cfg = new FileChannelConfig(disk.resolve("checkpoint"), List.of(disk.resolve("data")), null,
                100_000, 1000, 0, 256 * 1024, 1024 * 1024, 1000, true, 1 << 20);
        FileChannel ch = TestChannels.open(cfg);
        try {
            refusedThenResumed(ch);
        } finally {
            ch.stop();
        }
    }

    private void refusedThenResumed(FileChannel ch) throws Exception {
        int committed = fillUntilRefused(ch);
        assertThat(committed).isGreaterThan(100);
        ChannelException refused = refusal(ch, committed);
        assertThat(refused.getMessage()).contains("[a1.channels.c1]").contains(disk.toString())
                .contains("free").contains("minimumRequiredSpace 1.0 MB");
        // taking still works and frees space in the channel (files are deleted after the next checkpoint)
        List<Integer> first = TestChannels.take(ch, 1000);
        assertThat(first).isEqualTo(TestChannels.range(0, 1000));
        ch.checkpoint();
        await().atMost(30, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).ignoreExceptions().untilAsserted(() -> {
            TestChannels.putRange(ch, 1_000_000, 1_000_010);
        });
        List<Integer> rest = TestChannels.drain(ch);
        assertThat(rest.subList(0, committed - 1000)).isEqualTo(TestChannels.range(1000, committed));
        assertThat(rest.subList(committed - 1000, rest.size())).isEqualTo(TestChannels.range(1_000_000, 1_000_010));
    }

    @Test
    void failingWritesOnAFullDiskLoseNoCommittedEventAndRecover() throws Exception {
        FileChannelConfig cfg = new FileChannelConfig(disk.resolve("checkpoint"), List.of(disk.resolve("data")), null,
                100_000, 1000, 0, 512 * 1024, 0, 1000, true, 1 << 20);
        FileChannel ch = TestChannels.open(cfg);
        int resumeAt;
        try {
            resumeAt = failThenRecover(ch);
        } finally {
            ch.stop();
        }
        FileChannel again = TestChannels.open(cfg);
        try {
            List<Integer> all = TestChannels.drain(again);
            List<Integer> expected = new ArrayList<>(TestChannels.range(0, resumeAt));
            expected.addAll(TestChannels.range(2_000_000, 2_000_005));
            assertThat(all).isEqualTo(expected);
        } finally {
            again.stop();
        }
    }

    @Test
    void aFullDiskWhileRollingSegmentsLogsOnlyTheRealFailure() throws Exception {
        Logger writerLog = (Logger) LoggerFactory.getLogger(
                LogWriter.class);
        ListAppender<ILoggingEvent> seen =
                new ListAppender<>();
        seen.start();
        writerLog.addAppender(seen);
        // Segments of 8 KiB roll every few puts, so the disk fills up while a new segment is opened.
        FileChannelConfig cfg = new FileChannelConfig(disk.resolve("checkpoint"), List.of(disk.resolve("data")), null,
                100_000, 1000, 0, 8 * 1024, 0, 1000, true, 1 << 20);
        FileChannel ch = TestChannels.open(cfg);
        try {
            failThenRecover(ch);
        } finally {
            ch.stop();
            writerLog.detachAppender(seen);
        }
        assertThat(seen.list).as("errors of the log writer").isNotEmpty()
                .noneSatisfy(e -> assertThat(e.getFormattedMessage()).contains("ClosedChannelException"));
    }

    private int failThenRecover(FileChannel ch) throws Exception {
        TestChannels.putRange(ch, 0, 500);
        Path filler = disk.resolve("filler");
        fill(filler);
        int next = 500;
        ChannelException failure = null;
        for (int i = 0; i < 100 && failure == null; i++) {
            try {
                putBig(ch, next, 100);
                next += 100;
            } catch (ChannelException e) {
                failure = e;
            }
        }
        assertThat(failure).as("a put on a full disk must fail").isNotNull();
        assertThat(failure.getMessage()).contains("[a1.channels.c1]").contains("free")
                .contains("minimumRequiredSpace");
        Files.delete(filler);
        int resumeAt = next;
        await().atMost(30, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS).ignoreExceptions()
                .untilAsserted(() -> TestChannels.putRange(ch, 2_000_000, 2_000_005));
        return resumeAt;
    }

    private int fillUntilRefused(FileChannel ch) {
        int n = 0;
        for (int i = 0; i < 10_000; i++) {
            try {
                putBig(ch, n, 100);
                n += 100;
            } catch (ChannelException e) {
                return n;
            }
        }
        throw new AssertionError("a 4 MB disk never filled up");
    }

    private ChannelException refusal(FileChannel ch, int n) {
        try {
            putBig(ch, n, 1);
        } catch (ChannelException e) {
            return e;
        }
        throw new AssertionError("put was accepted on a full disk");
    }

    private static void putBig(FileChannel ch, int from, int count) {
        byte[] body = new byte[1000];
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            for (int i = from; i < from + count; i++) {
                tx.put(Event.builder().header("n", Integer.toString(i)).body(body).build());
            }
            tx.commit();
        }
    }

    private static void fill(Path filler) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream out = Files.newOutputStream(filler)) {
            while (true) {
                out.write(block);
            }
        } catch (IOException e) {
            // full
        }
    }
}
