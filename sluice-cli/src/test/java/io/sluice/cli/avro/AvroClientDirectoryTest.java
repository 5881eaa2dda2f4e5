package io.sluice.cli.avro;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What {@code avro-client --dirname} picks from the directory and how it marks a sent file, as Apache Flume's. */
class AvroClientDirectoryTest {
    @TempDir
    Path dir;

    @Test
    void sendsOldestFirstAndSkipsHiddenAndCompletedFiles() throws Exception {
        Path newer = Files.write(dir.resolve("a.log"), List.of("a"));
        Path older = Files.write(dir.resolve("b.log"), List.of("b"));
        Files.setLastModifiedTime(older, FileTime.fromMillis(1_000_000));
        Files.setLastModifiedTime(newer, FileTime.fromMillis(2_000_000));
        Files.write(dir.resolve("c.log.COMPLETED"), List.of("c"));
        Files.write(dir.resolve(".hidden"), List.of("h"));
        Files.createDirectories(dir.resolve("sub"));
        assertThat(AvroClientCommand.files(dir)).containsExactly(older, newer);
    }

    @Test
    void aSentFileIsRenamedWithTheCompletedSuffixAndNeverReplacesAnother() throws Exception {
        Path f = Files.write(dir.resolve("x.log"), List.of("x"));
        AvroClientCommand.markCompleted(f);
        assertThat(f).doesNotExist();
        assertThat(dir.resolve("x.log.COMPLETED")).hasContent("x");
        assertThat(AvroClientCommand.files(dir)).isEmpty();

        Path again = Files.write(dir.resolve("x.log"), List.of("second x"));
        assertThatThrownBy(() -> AvroClientCommand.markCompleted(again)).isInstanceOf(IOException.class)
                .hasMessageContaining("cannot rename it to x.log.COMPLETED: that file exists");
        assertThat(dir.resolve("x.log.COMPLETED")).hasContent("x");
        assertThat(again).hasContent("second x");
    }
}
