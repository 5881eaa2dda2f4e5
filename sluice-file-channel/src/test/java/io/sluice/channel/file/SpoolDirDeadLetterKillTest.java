package io.sluice.channel.file;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code spooldir} source with a dead-letter channel keeps each line over
 * {@code deserializer.maxLineLength} there exactly once across a {@code kill -9}: a child JVM
 * ({@link SpoolDirDeadLetterCrashWorker}) is killed right after the dead-letter channel committed
 * letters and before the batch they were read in is committed to the source's own channel; the
 * restarted source delivers every short line once and keeps every long line's start once.
 */
class SpoolDirDeadLetterKillTest {
    private static final int FILES = 3;
    private static final int LINES_PER_FILE = 1000;
    private static final int LONG_EVERY = 25;
    private static final int MAX_LINE_LENGTH = 100;

    @TempDir
    Path dir;

    @Test
    void killAfterTheLettersAndBeforeTheBatchCommitKeepsEveryLetterOnceAndLosesNoLine() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        List<String> shortLines = new ArrayList<>();
        List<String> letters = new ArrayList<>();
        for (int f = 0; f < FILES; f++) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; i < LINES_PER_FILE; i++) {
                String line;
                if (i % LONG_EVERY == LONG_EVERY - 1) {
                    line = ("long-f" + f + "-l" + i + "-").repeat(30);
                    letters.add(line.substring(0, MAX_LINE_LENGTH));
                } else {
                    line = "f" + f + "-l" + i;
                    shortLines.add(line);
                }
                text.append(line).append('\n');
            }
            Path p = Files.writeString(spool.resolve("part-" + f + ".log"), text, StandardCharsets.UTF_8);
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_700_000_000_000L + f * 1000L));
        }

        Path crash = dir.resolve("protocol-crash.txt");
        Process p = TestChannels.worker(SpoolDirDeadLetterCrashWorker.class, "crash", dir, crash);
        await().atMost(60, TimeUnit.SECONDS).until(() -> Files.exists(crash)
                && Files.readString(crash).contains("@@LETTERS_IN\n") || !p.isAlive());
        assertThat(p.isAlive()).as("crash worker alive; its output: %s", TestChannels.workerOutput(dir, "crash"))
                .isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(137);

        Path drain = dir.resolve("protocol-drain.txt");
        Process q = TestChannels.worker(SpoolDirDeadLetterCrashWorker.class, "drain", dir, drain);
        assertThat(q.waitFor(120, TimeUnit.SECONDS)).as("drain worker finished").isTrue();
        assertThat(Files.readString(drain)).as("drain worker output: %s", TestChannels.workerOutput(dir, "drain"))
                .contains("@@DONE");
        assertThat(Files.readAllLines(dir.resolve("delivered.txt"), StandardCharsets.UTF_8))
                .as("every short line once, in order").isEqualTo(shortLines);
        assertThat(Files.readAllLines(dir.resolve("letters.txt"), StandardCharsets.UTF_8))
                .as("every long line's first %d characters in the dead-letter channel once", MAX_LINE_LENGTH)
                .isEqualTo(letters);
    }

    @Test
    void withoutAKillEveryLetterIsKeptOnce() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        Files.writeString(spool.resolve("one.log"), "a\n" + "x".repeat(250) + "\nb\n", StandardCharsets.UTF_8);
        Path drain = dir.resolve("protocol-drain.txt");
        Process q = TestChannels.worker(SpoolDirDeadLetterCrashWorker.class, "drain", dir, drain);
        assertThat(q.waitFor(120, TimeUnit.SECONDS)).as("drain worker finished").isTrue();
        assertThat(Files.readString(drain)).as("drain worker output: %s", TestChannels.workerOutput(dir, "drain"))
                .contains("@@DONE");
        assertThat(Files.readAllLines(dir.resolve("delivered.txt"))).containsExactly("a", "b");
        assertThat(Files.readAllLines(dir.resolve("letters.txt"))).containsExactly("x".repeat(MAX_LINE_LENGTH));
    }
}
