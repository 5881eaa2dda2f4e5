package io.sluice.channel.file;

import io.sluice.api.metrics.ChannelCounter;
import io.sluice.channel.file.log.Checkpoint;
import io.sluice.channel.file.log.LogFormat;
import io.sluice.channel.file.log.ReplayResult;
import io.sluice.channel.file.log.SegmentScanner;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static io.sluice.channel.file.TestChannels.drain;
import static io.sluice.channel.file.TestChannels.open;
import static io.sluice.channel.file.TestChannels.putRange;
import static io.sluice.channel.file.TestChannels.range;
import static org.assertj.core.api.Assertions.assertThat;

/** Breaks the log and the checkpoint on purpose and checks what recovery keeps and reports. */
// java.nio's FileChannel shares its simple name with the channel under test.
@SuppressWarnings("checkstyle:InlineFullyQualifiedName")
class LogRecoveryTest {
    @TempDir
    Path dir;

    /** No checkpoint on close, so a restart replays the log written after the startup checkpoint. */
    private FileChannelConfig cfg() {
        return new FileChannelConfig(dir.resolve("checkpoint"), List.of(dir.resolve("data")), null, 10_000, 1000, 3,
                1 << 20, 0, 3_600_000, false, 1 << 20);
    }

    /** Writes three transactions of ten events each and returns the segment holding them. */
    private Path writeThreeTransactions() throws IOException {
        FileChannel ch = open(cfg());
        putRange(ch, 0, 10);
        putRange(ch, 10, 20);
        putRange(ch, 20, 30);
        ch.stop();
        return newestSegment();
    }

    @Test
    void damagedRecordInsideAnIntactLogCostsOnlyItsEvent() throws Exception {
        Path seg = writeThreeTransactions();
        List<long[]> recs = records(seg);
        long lastPut = recs.get(recs.size() - 2)[0];
        flip(seg, lastPut + 30);
        long sizeBefore = Files.size(seg);

        FileChannel ch = open(cfg());
        ReplayResult r = ch.recovery();
        assertThat(drain(ch)).isEqualTo(range(0, 29));
        assertThat(r.bytesDropped).isZero();
        assertThat(r.corruptRecords).isEqualTo(1);
        assertThat(r.eventsLost).isEqualTo(1);
        assertThat(Files.size(seg)).as("the damaged bytes are kept").isGreaterThanOrEqualTo(sizeBefore);
        assertThat(r.problems).anySatisfy(p -> assertThat(p).contains(seg.toString()).contains("offset " + lastPut)
                .contains("damaged record").contains("checksum mismatch"));
        assertThat(ch.counter().get(FileChannel.CORRUPT_EVENTS)).isEqualTo(1);
        ch.stop();
    }

    @Test
    void aDamagedEventTakenAfterACheckpointIsCountedAsCorruptNotAsTaken() throws Exception {
        FileChannelConfig withCheckpoint = new FileChannelConfig(dir.resolve("checkpoint"), List.of(dir.resolve("data")),
                null, 10_000, 1000, 3, 1 << 20, 0, 3_600_000, true, 1 << 20);
        FileChannel first = open(withCheckpoint);
        putRange(first, 0, 10);
        putRange(first, 10, 20);
        first.stop(); // the checkpoint lists all 20: they are read back from the log when taken
        Path seg = newestSegment();
        flip(seg, records(seg).get(5)[0] + 30);

        FileChannel ch = open(withCheckpoint);
        List<Integer> expected = new ArrayList<>(range(0, 5));
        expected.addAll(range(6, 20));
        assertThat(drain(ch)).isEqualTo(expected);
        assertThat(ch.counter().get(ChannelCounter.TAKE_SUCCESS)).isEqualTo(19);
        assertThat(ch.counter().get(FileChannel.CORRUPT_EVENTS)).isEqualTo(1);
        ch.stop();
    }

    @Test
    void damagedLengthEndsTheReadableLogAtItsTransaction() throws Exception {
        Path seg = writeThreeTransactions();
        List<long[]> recs = records(seg);
        long lastPut = recs.get(recs.size() - 2)[0];
        flip(seg, lastPut); // the high byte of the length: the framing no longer holds
        long txC = recs.get(22)[0];
        long sizeBefore = Files.size(seg);

        FileChannel ch = open(cfg());
        ReplayResult r = ch.recovery();
        assertThat(drain(ch)).isEqualTo(range(0, 20));
        assertThat(r.bytesDropped).isEqualTo(sizeBefore - txC);
        assertThat(Files.size(seg)).isEqualTo(txC);
        assertThat(r.recordsDropped).isEqualTo(9);
        assertThat(r.problems).anySatisfy(p -> assertThat(p).contains(seg.toString()).contains("out of range")
                .contains("truncated at offset " + txC));
        ch.stop();
    }

    @Test
    void recordCutInTheMiddleDropsOnlyItsUncommittedTransaction() throws Exception {
        Path seg = writeThreeTransactions();
        List<long[]> recs = records(seg);
        long lastPut = recs.get(recs.size() - 2)[0];
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(seg, StandardOpenOption.WRITE)) {
            f.truncate(lastPut + 12);
        }
        FileChannel ch = open(cfg());
        ReplayResult r = ch.recovery();
        assertThat(drain(ch)).isEqualTo(range(0, 20));
        assertThat(r.bytesDropped).isEqualTo(lastPut + 12 - recs.get(22)[0]);
        assertThat(r.problems).anySatisfy(p -> assertThat(p).contains("torn record"));
        assertThat(Files.size(seg)).isEqualTo(recs.get(22)[0]);
        ch.stop();
    }

    @Test
    void flippedChecksumByteCostsOnlyItsRecord() throws Exception {
        Path seg = writeThreeTransactions();
        List<long[]> recs = records(seg);
        long firstOfB = recs.get(11)[0];
        flip(seg, firstOfB + 5);
        FileChannel ch = open(cfg());
        ReplayResult r = ch.recovery();
        List<Integer> expected = new ArrayList<>(range(0, 10));
        expected.addAll(range(11, 30));
        assertThat(drain(ch)).isEqualTo(expected);
        assertThat(r.problems).anySatisfy(p -> assertThat(p).containsPattern("checksum mismatch: stored 0x[0-9A-F]{8},"
                + " computed 0x[0-9A-F]{8}").contains("offset " + firstOfB));
        ch.stop();
    }

    @Test
    void emptyAndHeaderlessSegmentsAreRemoved() throws Exception {
        writeThreeTransactions();
        Path empty = dir.resolve("data").resolve(LogFormat.segmentFileName(900));
        Path stub = dir.resolve("data").resolve(LogFormat.segmentFileName(901));
        Files.createFile(empty);
        Files.write(stub, new byte[10]);
        FileChannel ch = open(cfg());
        assertThat(drain(ch)).isEqualTo(range(0, 30));
        assertThat(empty).doesNotExist();
        assertThat(stub).doesNotExist();
        ch.stop();
        FileChannel again = open(cfg());
        TestChannels.putRange(again, 30, 31);
        assertThat(drain(again)).isEqualTo(range(30, 31));
        again.stop();
    }

    @Test
    void crashBetweenCheckpointWriteAndRenameKeepsTheOldCheckpoint() throws Exception {
        FileChannel ch = open(cfg());
        putRange(ch, 0, 10);
        ch.checkpoint();
        putRange(ch, 10, 20);
        TestChannels.take(ch, 5);
        ch.stop();
        Path cpDir = dir.resolve("checkpoint");
        // a complete, fsynced temp file whose rename never happened (it claims an empty channel) ...
        new Checkpoint(0, Long.MAX_VALUE, 1, new long[] {LogFormat.pointer(9999, 28)}, new long[0], 0)
                .writeTemp(cpDir.resolve(LogFormat.CHECKPOINT_TEMP_FILE));
        FileChannel again = open(cfg());
        assertThat(again.recovery().checkpointSource).endsWith(LogFormat.CHECKPOINT_FILE);
        assertThat(drain(again)).isEqualTo(range(5, 20));
        again.stop();
        // ... and one torn in the middle of its write
        FileChannel third = open(cfg());
        putRange(third, 20, 25);
        third.stop();
        Files.write(cpDir.resolve(LogFormat.CHECKPOINT_TEMP_FILE), new byte[] {0x53, 0x4C});
        FileChannel fourth = open(cfg());
        assertThat(drain(fourth)).isEqualTo(range(20, 25));
        fourth.stop();
    }

    @Test
    void corruptCheckpointFallsBackToTheBackup() throws Exception {
        FileChannelConfig dual = cfg().withBackup(dir.resolve("backup"));
        FileChannel ch = open(dual);
        putRange(ch, 0, 10);
        TestChannels.take(ch, 3);
        ch.checkpoint();
        putRange(ch, 10, 12);
        ch.stop();
        flip(dir.resolve("checkpoint").resolve(LogFormat.CHECKPOINT_FILE), 30);
        FileChannel again = open(dual);
        assertThat(again.recovery().checkpointSource).startsWith(dir.resolve("backup").toString());
        assertThat(again.recovery().problems).anySatisfy(p -> assertThat(p).contains("checkpoint unusable")
                .contains("checksum mismatch"));
        assertThat(drain(again)).isEqualTo(range(3, 12));
        again.stop();
    }

    @Test
    void corruptCheckpointWithoutBackupReplaysEverySegmentInsteadOfEmptyingTheChannel() throws Exception {
        FileChannel ch = open(cfg());
        putRange(ch, 0, 10);
        TestChannels.take(ch, 4);
        ch.checkpoint();
        putRange(ch, 10, 15);
        ch.stop();
        flip(dir.resolve("checkpoint").resolve(LogFormat.CHECKPOINT_FILE), 12);
        FileChannel again = open(cfg());
        assertThat(again.recovery().checkpointSource).startsWith("none");
        assertThat(again.recovery().problems).anySatisfy(p -> assertThat(p).contains("replaying every segment"));
        assertThat(drain(again)).isEqualTo(range(4, 15));
        again.stop();
    }

    static void flip(Path file, long offset) throws IOException {
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            f.read(b, offset);
            b.flip();
            byte v = b.get(0);
            b.put(0, (byte) (v ^ 0x40));
            f.write(b, offset);
        }
    }

    /** Offsets and types of every record: {offset, type}. */
    static List<long[]> records(Path seg) throws IOException {
        List<long[]> out = new ArrayList<>();
        try (SegmentScanner s = new SegmentScanner(seg, true)) {
            assertThat(s.readHeader()).isTrue();
            while (s.next() == SegmentScanner.Status.RECORD) {
                out.add(new long[] {s.offset(), s.type()});
            }
        }
        return out;
    }

    private Path newestSegment() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("data"))) {
            return s.filter(p -> p.getFileName().toString().startsWith("segment-"))
                    .filter(p -> {
                        try {
                            return Files.size(p) > LogFormat.SEGMENT_HEADER_SIZE;
                        } catch (IOException e) {
                            return false;
                        }
                    }).sorted().reduce((a, b) -> b).orElseThrow();
        }
    }
}
