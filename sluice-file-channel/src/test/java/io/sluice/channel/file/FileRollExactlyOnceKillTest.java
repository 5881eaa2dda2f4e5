package io.sluice.channel.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code file_roll} with {@code sink.exactlyOnce = true} behind a file channel: a child JVM
 * ({@link FileRollCrashWorker}) is killed with SIGKILL after a batch was written to the file and
 * before its take committed; the restarted sink neither writes that batch again nor loses any.
 */
class FileRollExactlyOnceKillTest {
    @TempDir
    Path dir;

    @Test
    void killBetweenWriteAndTakeCommitWritesEveryEventOnce() throws Exception {
        List<String> expected = fillChannel();
        crash();
        assertThat(resumeAndRead()).isEqualTo(expected);
    }

    @Test
    void bytesOfABatchWhoseCommitRecordWasNotWrittenAreCutOff() throws Exception {
        List<String> expected = fillChannel();
        crash();
        // as if the next batch had been written and the process died before recording it
        Path last = outputFiles().get(outputFiles().size() - 1);
        Files.writeString(last, "torn-1\ntorn-2\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        assertThat(resumeAndRead()).isEqualTo(expected);
    }

    /**
     * A kill while the dead letters of a written batch are being committed: they must be safe
     * before the commit record says the batch is written, or the restarted sink skips the batch and
     * the refused events are neither in the output nor in the dead-letter channel. One of the
     * refused events is the batch's last, so the record must also cover dead-lettered positions.
     */
    @Test
    void killWhileABatchsDeadLettersAreCommittedLosesNoneAndWritesEveryOtherEventOnce() throws Exception {
        List<String> expected = fillChannel().stream()
                .filter(b -> !PoisonTextSerializerFactory.POISON.contains(Integer.parseInt(b.substring(6)))).toList();
        crash("crash-dlq");
        assertThat(resumeAndRead("resume-dlq")).isEqualTo(expected);
        FileChannel letters = FileRollCrashWorker.deadLetterChannel(dir);
        try {
            assertThat(TestChannels.drain(letters)).as("the refused events, each in the dead-letter channel once")
                    .containsExactlyInAnyOrderElementsOf(PoisonTextSerializerFactory.POISON);
        } finally {
            letters.stop();
        }
    }

    private List<String> fillChannel() {
        FileChannel ch = TestChannels.open(TestChannels.config(dir));
        TestChannels.putRange(ch, 0, 1000);
        ch.stop();
        return IntStream.range(0, 1000).mapToObj(i -> TestChannels.event(i).bodyAsString()).toList();
    }

    private void crash() throws Exception {
        crash("crash");
    }

    private void crash(String mode) throws Exception {
        Path crash = dir.resolve("protocol-" + mode + ".txt");
        Process p = TestChannels.worker(FileRollCrashWorker.class, mode, dir, crash);
        await().atMost(60, TimeUnit.SECONDS).until(() -> Files.exists(crash)
                && Files.readString(crash).contains("@@WRITTEN\n") || !p.isAlive());
        assertThat(p.isAlive()).as("crash worker alive; its output: %s", TestChannels.workerOutput(dir, mode)).isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(137);
    }

    private List<String> resumeAndRead() throws Exception {
        return resumeAndRead("resume");
    }

    private List<String> resumeAndRead(String mode) throws Exception {
        Path resume = dir.resolve("protocol-" + mode + ".txt");
        Process q = TestChannels.worker(FileRollCrashWorker.class, mode, dir, resume);
        assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(Files.readString(resume)).as("%s worker output: %s", mode, TestChannels.workerOutput(dir, mode))
                .contains("@@DONE");
        List<String> lines = new ArrayList<>();
        for (Path f : outputFiles()) {
            lines.addAll(Files.readAllLines(f, StandardCharsets.UTF_8));
        }
        return lines;
    }

    /** The sink's files in the order it wrote them (DEFAULT names: start millis, then a counter). */
    private List<Path> outputFiles() throws IOException {
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            return s.filter(p -> !p.getFileName().toString().startsWith("."))
                    .sorted(Comparator.comparingLong((Path p) -> namePart(p, 0)).thenComparingLong(p -> namePart(p, 1)))
                    .toList();
        }
    }

    private static long namePart(Path p, int i) {
        return Long.parseLong(p.getFileName().toString().split("-")[i]);
    }
}
