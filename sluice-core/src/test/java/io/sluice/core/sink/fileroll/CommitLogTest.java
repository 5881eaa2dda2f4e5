package io.sluice.core.sink.fileroll;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * file_roll's exactly-once commit records after a crash or a full disk left a torn record at the
 * end: the records appended afterwards must be the ones the next start reads, or it would recover
 * from an older record (cut a file back to a length it had long ago, not recognise the batch the
 * channel hands out again).
 */
class CommitLogTest {
    @TempDir
    Path dir;

    @Test
    void recordsAppendedAfterATornTailAreReadAtTheNextStart() throws Exception {
        CommitLog.Commit first = new CommitLog.Commit("1000-1", 120, 4L << 32 | 16, 4L << 32 | 900, 10);
        try (CommitLog log = new CommitLog(dir, "k1")) {
            log.append(first);
        }
        Path file = dir.resolve(".k1.file_roll-commits");
        // a record whose length says 40 bytes, torn after 5 of them
        Files.write(file, new byte[] {0, 0, 0, 40, 1, 2, 3, 4, 1, 0, 0, 0, 7}, StandardOpenOption.APPEND);

        CommitLog.Commit second = new CommitLog.Commit("1000-1", 240, 4L << 32 | 1000, 5L << 32 | 64, 10);
        long cut;
        try (CommitLog log = new CommitLog(dir, "k1")) {
            assertThat(log.last()).isEqualTo(first);
            log.append(second);
            cut = log.tornBytesCut();
        }
        try (CommitLog log = new CommitLog(dir, "k1")) {
            assertThat(log.last()).isEqualTo(second);
            assertThat(cut).isEqualTo(13);
            log.append(second.at("1000-2", 30));
            assertThat(log.tornBytesCut()).isZero();
        }
        assertThat(new CommitLog(dir, "k1").last()).isEqualTo(second.at("1000-2", 30));
    }
}
