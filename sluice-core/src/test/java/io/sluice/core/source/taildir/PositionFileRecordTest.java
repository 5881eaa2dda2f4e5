package io.sluice.core.source.taildir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link PositionFile#record(PositionFile.Entry)}, the one-file record made after each batch. */
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
}
