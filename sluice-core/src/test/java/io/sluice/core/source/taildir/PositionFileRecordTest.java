package io.sluice.core.source.taildir;

import io.sluice.core.support.ChecksummedRecords;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PositionFile#record(PositionFile.Entry)}, the one-file record made after each batch, and
 * the notes of a file seen empty kept through the journal and the fingerprint file.
 */
class PositionFileRecordTest {
    @TempDir
    Path dir;

    private static PositionFile.Entry entry(long inode, long pos) {
        return new PositionFile.Entry(inode, pos, Path.of("/var/log/app-" + inode + ".log"), new Fingerprint(10, inode));
    }

    @Test
    void oneFilesNewPositionIsJournaledAndTheOthersKept() throws IOException {
        Path file = dir.resolve("positions.json");
        PositionFile positions = new PositionFile(file);
        positions.checkpoint(List.of(entry(1, 0), entry(2, 50)), false);
        long journalBefore = Files.size(dir.resolve("positions.json" + PositionJournal.SUFFIX));

        assertThat(positions.record(entry(1, 100))).isTrue();
        assertThat(positions.record(entry(1, 200))).isTrue();
        long journalAfter = Files.size(dir.resolve("positions.json" + PositionJournal.SUFFIX));
        // the same position again writes nothing
        assertThat(positions.record(entry(1, 200))).isTrue();
        assertThat(Files.size(dir.resolve("positions.json" + PositionJournal.SUFFIX))).isEqualTo(journalAfter);
        positions.close();

        assertThat(journalAfter).isGreaterThan(journalBefore);
        assertThat(new PositionFile(file).read()).containsExactly(entry(1, 200), entry(2, 50));
    }

    @Test
    void aFileNotRecordedYetIsLeftToTheFullRecord() throws IOException {
        Path file = dir.resolve("positions.json");
        PositionFile positions = new PositionFile(file);
        positions.checkpoint(List.of(entry(1, 0)), false);

        assertThat(positions.record(entry(7, 100))).isFalse();
        positions.record(List.of(entry(1, 0), entry(7, 100)));
        assertThat(positions.record(entry(7, 300))).isTrue();
        positions.close();

        assertThat(new PositionFile(file).read()).containsExactlyInAnyOrder(entry(1, 0), entry(7, 300));
    }

    /** The notes of a file seen empty: one file with first bytes, one noted without (empty then). */
    private static PositionFile.Entry seenEmpty(long inode) {
        Map<Long, Fingerprint> among = new HashMap<>();
        among.put(inode, null);
        among.put(41L, new Fingerprint(256, 3_735_928_559L));
        among.put(42L, null);
        return new PositionFile.Entry(inode, 0, Path.of("/var/log/app.log"), null, among);
    }

    @Test
    void theNotesOfAFileSeenEmptyAreJournaledWhenTaken() throws IOException {
        Path file = dir.resolve("positions.json");
        PositionFile positions = new PositionFile(file);
        positions.checkpoint(List.of(entry(1, 10)), false);
        positions.record(List.of(entry(1, 10), seenEmpty(9)));
        positions.close();

        assertThat(new PositionFile(file).read()).containsExactly(entry(1, 10), seenEmpty(9));
    }

    @Test
    void theNotesOfAFileSeenEmptyAreKeptBesideTheJsonFileWhichKeepsApacheFlumesFields() throws IOException {
        Path file = dir.resolve("positions.json");
        PositionFile positions = new PositionFile(file);
        positions.checkpoint(List.of(entry(1, 10), seenEmpty(9)), true);
        positions.close();
        // without the journal the JSON file and the fingerprint file are all there is
        Files.delete(dir.resolve("positions.json" + PositionJournal.SUFFIX));

        assertThat(new PositionFile(file).read()).containsExactly(entry(1, 10), seenEmpty(9));
        assertThat(Files.readString(file)).doesNotContain("among").doesNotContain("seenEmpty")
                .doesNotContain("crc32c");
        assertThat(Files.readString(dir.resolve("positions.json" + PositionFile.FINGERPRINT_SUFFIX)))
                .contains("\"seenEmpty\"");
    }

    /** Writes a position file holding one entry at position 10 and returns its path. */
    private Path writtenWithOneEntry() throws IOException {
        Path file = dir.resolve("positions.json");
        PositionFile positions = new PositionFile(file);
        positions.checkpoint(List.of(entry(1, 10)), false);
        positions.close();
        return file;
    }

    @Test
    void aFingerprintFileWithoutNotesGivesEntriesWithoutNotes() throws IOException {
        Path file = writtenWithOneEntry();
        Files.delete(dir.resolve("positions.json" + PositionJournal.SUFFIX));

        assertThat(new PositionFile(file).read()).singleElement().satisfies(e -> assertThat(e.seenEmptyAmong()).isNull());
    }

    /** A journal of version 1 (written by an earlier Sluice, without notes) is still replayed. */
    @Test
    void aJournalWithoutNotesIsStillRead() throws IOException {
        Path file = writtenWithOneEntry();
        byte[] json = Files.readAllBytes(file);
        CRC32C crc = new CRC32C();
        crc.update(json);
        byte[] name = "/var/log/app-1.log".getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(16 + 8 + PositionJournal.entrySize(name.length));
        b.putInt(0x5354504a).putInt(1).putLong(crc.getValue());
        int start = b.position();
        b.position(start + 8);
        PositionJournal.writeEntry(b, 1, 70, 10, 1, name);
        ChecksummedRecords.seal(b, start);
        Files.write(dir.resolve("positions.json" + PositionJournal.SUFFIX), b.array());

        assertThat(new PositionFile(file).read()).containsExactly(entry(1, 70));
    }
}
