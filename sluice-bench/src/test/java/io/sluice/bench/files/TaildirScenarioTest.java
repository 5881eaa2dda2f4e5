package io.sluice.bench.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TaildirScenarioTest {
    @AfterEach
    void clearProperty() {
        System.clearProperty(TaildirScenario.LINES_PER_FILE_PROPERTY);
    }

    @Test
    void linesPerFileComeFromThePropertyOrTheDefault() {
        assertThat(TaildirScenario.linesPerFile()).isEqualTo(TaildirScenario.DEFAULT_LINES_PER_FILE);
        System.setProperty(TaildirScenario.LINES_PER_FILE_PROPERTY, " 2000 ");
        assertThat(TaildirScenario.linesPerFile()).isEqualTo(2000);
    }

    @Test
    void tooFewOrUnreadableLinesPerFileAreRefused() {
        System.setProperty(TaildirScenario.LINES_PER_FILE_PROPERTY, "lots");
        assertThatThrownBy(TaildirScenario::linesPerFile).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dsluice.bench.taildir.linesPerFile=lots: expected a whole number of lines per file,"
                        + " at least 1000");
        System.setProperty(TaildirScenario.LINES_PER_FILE_PROPERTY, "10");
        assertThatThrownBy(TaildirScenario::linesPerFile).hasMessageContaining("at least 1000");
    }

    @Test
    void filesHoldNumberedHundredByteLines(@TempDir Path dir) throws Exception {
        TaildirScenario.writeFiles(dir, 1000);
        for (int f = 0; f < TaildirScenario.FILES; f++) {
            Path file = dir.resolve("app-" + f + ".log");
            assertThat(Files.size(file)).isEqualTo(1000L * TaildirScenario.LINE_BYTES);
            List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
            assertThat(lines).hasSize(1000);
            assertThat(lines.get(0)).hasSize(TaildirScenario.LINE_BYTES - 1)
                    .startsWith(String.format("%02d %010d x", f, 0));
            assertThat(lines.get(999)).startsWith(String.format("%02d %010d x", f, 999));
        }
    }

    @Test
    void theBusiestThreadsComeFirstInCores() {
        Map<String, Long> before = Map.of("source", 1_000_000_000L, "sink", 0L, "gc", 0L);
        Map<String, Long> after = Map.of("source", 3_000_000_000L, "sink", 500_000_000L, "gc", 1_000_000_000L,
                "new", 100_000_000L);
        assertThat(TaildirScenario.busiest(before, after, 2.0))
                .isEqualTo("source=1.00, gc=0.50, sink=0.25, new=0.05");
    }
}
