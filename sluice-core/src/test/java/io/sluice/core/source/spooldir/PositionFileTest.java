package io.sluice.core.source.spooldir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
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
        byte[] b = Files.readAllBytes(pf.path());
        b[20] ^= 0x40;
        Files.write(pf.path(), b);
        assertThatThrownBy(pf::read).isInstanceOf(IOException.class)
                .hasMessageMatching("position file .* is unreadable: its checksum is [0-9a-f]{8}, the content's is"
                        + " [0-9a-f]{8}\\. Delete it to start over.*");
    }

    @Test
    void aTruncatedFileIsReportedNotMisread() throws IOException {
        PositionFile pf = new PositionFile(dir);
        pf.write(new PositionFile.Position(dir.resolve("a.log"), new SpoolDeserializer.Mark(10, 0), 20, 30));
        byte[] b = Files.readAllBytes(pf.path());
        Files.write(pf.path(), Arrays.copyOf(b, b.length - 3));
        assertThatThrownBy(pf::read).hasMessageContaining("is unreadable");
    }
}
