package io.sluice.channel.file;

import io.sluice.api.ChannelProcessor;
import io.sluice.api.MarkedTransaction;
import io.sluice.api.SourceMarkerChannel;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.selector.ReplicatingChannelSelector;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Source markers ({@link MarkedTransaction}) in the file channel: committed with the puts, the
 * newest per owner survives replay, checkpoints and the deletion of old segments; a rolled-back
 * marker never counts.
 */
class FileChannelMarkerTest {
    @TempDir
    Path dir;

    private FileChannelConfig config(boolean checkpointOnClose) {
        return new FileChannelConfig(dir.resolve("checkpoint"), List.of(dir.resolve("data")), null, 100_000, 1000, 1,
                4096, 0, 3_600_000, checkpointOnClose, 1024 * 1024);
    }

    private static void commit(FileChannel ch, String owner, String marker, int from, int to) {
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            for (int i = from; i < to; i++) {
                tx.put(TestChannels.event(i));
            }
            ((MarkedTransaction) tx).mark(owner, marker.getBytes(StandardCharsets.UTF_8));
            tx.commit();
        }
    }

    private static Optional<String> marker(SourceMarkerChannel ch, String owner) {
        return ch.committedMarker(owner).map(b -> new String(b, StandardCharsets.UTF_8));
    }

    @Test
    void newestMarkerPerOwnerSurvivesReplayWithoutCheckpoint() {
        FileChannel ch = TestChannels.open(config(false));
        commit(ch, "a", "a1", 0, 10);
        commit(ch, "b", "b1", 10, 20);
        commit(ch, "a", "a2", 20, 30);
        assertThat(marker(ch, "a")).contains("a2");
        ch.stop();
        // the checkpoint written at start knows none of them: they come back from the log alone

        FileChannel again = TestChannels.open(config(false));
        assertThat(marker(again, "a")).contains("a2");
        assertThat(marker(again, "b")).contains("b1");
        assertThat(marker(again, "c")).isEmpty();
        assertThat(TestChannels.drain(again)).isEqualTo(TestChannels.range(0, 30));
        again.stop();
    }

    @Test
    void markerOnlyTransactionCommitsAndRolledBackMarkerDoesNot() {
        FileChannel ch = TestChannels.open(config(false));
        commit(ch, "a", "a1", 0, 0);
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.put(TestChannels.event(1));
            ((MarkedTransaction) tx).mark("a", "a-rolled-back".getBytes(StandardCharsets.UTF_8));
            tx.rollback();
        }
        assertThat(marker(ch, "a")).contains("a1");
        ch.stop();
        FileChannel again = TestChannels.open(config(false));
        assertThat(marker(again, "a")).contains("a1");
        assertThat(TestChannels.drain(again)).isEmpty();
        again.stop();
    }

    @Test
    void newestMarkerSurvivesCheckpointAndDeletionOfTheSegmentsItWasWrittenIn() throws Exception {
        FileChannel ch = TestChannels.open(config(true));
        commit(ch, "old", "old-1", 0, 1);
        for (int i = 0; i < 200; i++) {
            commit(ch, "a", "a" + i, i * 10, i * 10 + 10);
            TestChannels.take(ch, 10);
        }
        ch.checkpoint();
        try (Stream<Path> segments = Files.list(dir.resolve("data"))) {
            // 4 KB segments: the ones holding the old markers were deleted
            assertThat(segments.filter(p -> p.toString().endsWith(".wal")).count()).isLessThan(5);
        }
        assertThat(marker(ch, "old")).contains("old-1");
        commit(ch, "a", "a-last", 5000, 5001);
        ch.stop();

        FileChannel again = TestChannels.open(config(true));
        assertThat(marker(again, "old")).contains("old-1");
        assertThat(marker(again, "a")).contains("a-last");
        again.stop();
    }

    @Test
    void markRejectsEmptyOwnerAndUseOutsideAnOpenTransaction() {
        FileChannel ch = TestChannels.open(config(false));
        try (Transaction tx = ch.getTransaction()) {
            MarkedTransaction m = (MarkedTransaction) tx;
            assertThatThrownBy(() -> m.mark("a", new byte[0])).hasMessageContaining("transaction is NEW");
            tx.begin();
            assertThatThrownBy(() -> m.mark("", new byte[0])).hasMessageContaining("expected: 1 .. 4096");
            tx.rollback();
        }
        ch.stop();
    }

    @Test
    void processorOffersTheMarkerChannelOnlyWhenItIsTheOneRequiredChannel() {
        FileChannel c1 = TestChannels.open(config(false));
        FileChannel c2 = new FileChannel("c2", "[a1.channels.c2]", FileChannelConfig.of(dir.resolve("c2/checkpoint"),
                List.of(dir.resolve("c2/data"))), new ChannelCounter("c2"),
                Clock.systemUTC());
        assertThat(processor(List.of(), c1).markerChannel()).containsSame(c1);
        assertThat(processor(List.of("c1"), c1).markerChannel()).isEmpty();
        assertThat(processor(List.of(), c1, c2).markerChannel()).isEmpty();
        assertThatThrownBy(() -> processor(List.of(), c1, c2).processEventBatch(List.of(), "o", new byte[0]))
                .isInstanceOf(UnsupportedOperationException.class);
        ChannelProcessor p = processor(List.of(), c1);
        p.processEventBatch(List.of(TestChannels.event(7)), "o", "m".getBytes(StandardCharsets.UTF_8));
        assertThat(marker(c1, "o")).contains("m");
        assertThat(TestChannels.drain(c1)).containsExactly(7);
        c1.stop();
    }

    private static DefaultChannelProcessor processor(List<String> optional, FileChannel... channels) {
        ReplicatingChannelSelector s = new ReplicatingChannelSelector(optional);
        s.setChannels(List.of(channels));
        return new DefaultChannelProcessor("a1.sources.r1", s, List.of(), new CounterGroup("CHANNEL_PROCESSOR", "r1"));
    }
}
