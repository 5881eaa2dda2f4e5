package io.sluice.core.source.spooldir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PositionFileTest {
    @TempDir
    Path dir;

    @Test
    void aWrittenPositionIsReadBackAndClearedWhenDone() throws IOException {
        PositionFile pf = new PositionFile(dir);
        assertThat(pf.read()).isEmpty();
        PositionFile.Position p = new PositionFile.Position(dir.resolve("f\u00e9.log"),
                new SpoolDeserializer.Mark(1234, 5), 99_999, 1_700_000_000_123L);
        pf.write(p);
        assertThat(new PositionFile(dir).read()).contains(p);
        assertThat(dir.resolve(PositionFile.FILE_NAME + ".tmp")).doesNotExist();
        pf.clear();
        assertThat(pf.read()).isEmpty();
    }

    @Test
    void aFlippedByteIsReportedWithBothChecksums() throws IOException {
        PositionFile pf = new PositionFile(dir);
        pf.write(new PositionFile.Position(dir.resolve("a.log"), new SpoolDeserializer.Mark(10, 0), 20, 30));
        for (Path f : List.of(pf.path(), synced())) { // both copies: no readable record is left
            byte[] b = Files.readAllBytes(f);
            b[20] ^= 0x40;
            Files.write(f, b);
        }
        assertThatThrownBy(pf::read).isInstanceOf(IOException.class)
                .hasMessageMatching("position file .* is unreadable: its checksum is [0-9a-f]{8}, the content's is"
                        + " [0-9a-f]{8}\\. Delete it to start over.*");
    }

    @Test
    void aTruncatedFileIsReportedNotMisread() throws IOException {
        PositionFile pf = new PositionFile(dir);
        pf.write(new PositionFile.Position(dir.resolve("a.log"), new SpoolDeserializer.Mark(10, 0), 20, 30));
        for (Path f : List.of(pf.path(), synced())) {
            byte[] b = Files.readAllBytes(f);
            Files.write(f, Arrays.copyOf(b, b.length - 3));
        }
        assertThatThrownBy(pf::read).hasMessageContaining("is unreadable");
    }

    /** The clock of the forced records; moved by the tests. */
    private final AtomicLong nanos = new AtomicLong();

    private Path f() {
        return dir.resolve("a.log");
    }

    private Path synced() {
        return dir.resolve(PositionFile.FILE_NAME + PositionFile.SYNCED_SUFFIX);
    }

    private static PositionFile.Position at(Path file, long offset) {
        return new PositionFile.Position(file, new SpoolDeserializer.Mark(offset, 0), 10_000, 30);
    }

    @Test
    void everyBatchIsRecordedButOnlyOneRecordPerIntervalIsForced() throws IOException {
        PositionFile pf = new PositionFile(dir, nanos::get, 1_000);
        pf.write(at(f(), 100)); // a file's first record is forced
        nanos.addAndGet(999);
        pf.write(at(f(), 200)); // within the interval: recorded, not forced
        assertThat(new PositionFile(dir).read()).contains(at(f(), 200));
        assertThat(Files.readAllBytes(synced())).isNotEqualTo(Files.readAllBytes(pf.path()));
        nanos.addAndGet(1);
        pf.write(at(f(), 300)); // the interval has passed: forced
        assertThat(Files.readAllBytes(synced())).isEqualTo(Files.readAllBytes(pf.path()));
        pf.write(at(f(), 400));
        pf.sync(); // at stop the last record is forced
        assertThat(Files.readAllBytes(synced())).isEqualTo(Files.readAllBytes(pf.path()));
        pf.clear();
        assertThat(pf.path()).doesNotExist();
        assertThat(synced()).doesNotExist();
        assertThat(pf.read()).isEmpty();
    }

    @Test
    void anUnforcedRecordLostOrTornInAPowerLossFallsBackToTheForcedOne() throws IOException {
        PositionFile pf = new PositionFile(dir, nanos::get, 1_000);
        pf.write(at(f(), 100));
        pf.write(at(f(), 200));
        byte[] b = Files.readAllBytes(pf.path());
        Files.write(pf.path(), Arrays.copyOf(b, 5)); // torn
        assertThat(new PositionFile(dir).read()).contains(at(f(), 100));
        Files.delete(pf.path()); // its rename never reached the disk
        assertThat(new PositionFile(dir).read()).contains(at(f(), 100));
    }

    @Test
    void aRecordBehindTheForcedOneGivesWayToIt() throws IOException {
        PositionFile pf = new PositionFile(dir, nanos::get, 1_000);
        pf.write(at(f(), 100));
        byte[] old = Files.readAllBytes(pf.path());
        nanos.addAndGet(5_000);
        pf.write(at(f(), 300));
        Files.write(pf.path(), old); // the newer rename was lost, an older content came back
        assertThat(new PositionFile(dir).read()).contains(at(f(), 300));
    }
}
