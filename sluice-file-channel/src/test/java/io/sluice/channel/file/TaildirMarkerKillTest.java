package io.sluice.channel.file;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code TAILDIR} source feeding one file channel commits its positions in the channel's commit
 * record: a child JVM ({@link TaildirCrashWorker}) is killed with SIGKILL right after a batch's
 * channel commit and before the source could record the batch's end in its position file, and the
 * restarted source repeats none of that batch.
 */
class TaildirMarkerKillTest {
    @TempDir
    Path dir;

    @Test
    void killBetweenChannelCommitAndPositionRecordRepeatsNothing() throws Exception {
        Path log = Files.createDirectories(dir.resolve("logs")).resolve("app.log");
        List<String> lines = IntStream.range(0, 1000).mapToObj(i -> "line-" + i).toList();
        Files.writeString(log, lines.stream().collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);

        Path crash = dir.resolve("protocol-crash.txt");
        Process p = TestChannels.worker(TaildirCrashWorker.class, "crash", dir, crash);
        await().atMost(60, TimeUnit.SECONDS).until(() -> KillNineTest.protocol(crash).contains("COMMITTED") || !p.isAlive());
        assertThat(p.isAlive()).as("crash worker alive; its output: %s", TestChannels.workerOutput(dir, "crash")).isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(137);

        Path resume = dir.resolve("protocol-resume.txt");
        Process q = TestChannels.worker(TaildirCrashWorker.class, "resume", dir, resume);
        assertThat(q.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(KillNineTest.protocol(resume)).as("resume worker output: %s", TestChannels.workerOutput(dir, "resume")).contains("DONE");
        List<String> delivered = new ArrayList<>();
        for (String l : KillNineTest.protocol(resume)) {
            if (l.startsWith("L ")) {
                delivered.add(l.substring(2));
            }
        }
        // the three batches committed before the kill (300 lines) are in the channel once, then the rest
        assertThat(delivered).isEqualTo(lines);
    }
}
