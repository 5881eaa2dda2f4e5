package io.sluice.channel.file;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@code spooldir} source feeding one file channel commits its position in the channel's commit
 * record: a child JVM ({@link SpoolDirCrashWorker}) reading a spool directory is killed with
 * SIGKILL at random moments, many times, and restarted each time; at the end the channel holds
 * every line of every file exactly once, in order. Without the marker a kill that falls between a
 * batch's channel commit and the position file's record repeats that batch.
 */
class SpoolDirMarkerKillTest {
    private static final int FILES = 128;
    private static final int LINES_PER_FILE = 2500;
    private static final int MAX_KILLS = 10;
    private static final int MIN_KILLS = 5;

    @TempDir
    Path dir;

    @Test
    void killNinesAtRandomMomentsLoseAndRepeatNothing() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        List<String> expected = new ArrayList<>();
        for (int f = 0; f < FILES; f++) {
            int file = f;
            List<String> lines = IntStream.range(0, LINES_PER_FILE).mapToObj(i -> "f" + file + "-l" + i).toList();
            expected.addAll(lines);
            Path p = Files.writeString(spool.resolve("part-" + f + ".log"),
                    lines.stream().collect(Collectors.joining("\n", "", "\n")), StandardCharsets.UTF_8);
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_700_000_000_000L + f * 1000L));
        }
        long seed = System.nanoTime();
        Random random = new Random(seed);
        int kills = 0;
        while (kills < MAX_KILLS && !SpoolDirCrashWorker.allDone(spool)) {
            Path protocol = dir.resolve("protocol-run-" + kills + ".txt");
            Process p = worker("run", protocol);
            await().atMost(60, TimeUnit.SECONDS).until(() -> KillNineTest.protocol(protocol).contains("STARTED")
                    || !p.isAlive());
            assertThat(p.isAlive()).as("run worker alive; its output: %s", output(protocol)).isTrue();
            // the kill's random moment: after a random number of committed batches (each replaces the
            // source's position file), so it lands while the worker reads, however fast the machine is
            int batches = random.nextInt(40);
            PositionWatch watch = new PositionWatch(spool.resolve(".flumespool").resolve(".sluice-spool-position"));
            await().pollInterval(Duration.ofMillis(1)).atMost(60, TimeUnit.SECONDS)
                    .until(() -> watch.changes() >= batches || !p.isAlive() || SpoolDirCrashWorker.allDone(spool));
            p.destroyForcibly();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as("exit status of a SIGKILLed worker; output: %s", output(protocol))
                    .isEqualTo(137);
            kills++;
        }
        assertThat(kills).as("kills before the spool directory was done (seed %d); more data is needed", seed)
                .isGreaterThanOrEqualTo(MIN_KILLS);

        Path protocol = dir.resolve("protocol-drain.txt");
        Process q = worker("drain", protocol);
        assertThat(q.waitFor(120, TimeUnit.SECONDS)).as("drain worker finished").isTrue();
        assertThat(KillNineTest.protocol(protocol)).as("drain worker output: %s", output(protocol)).contains("DONE");
        List<String> delivered = Files.readAllLines(dir.resolve("delivered.txt"), StandardCharsets.UTF_8);
        Set<String> seen = new HashSet<>();
        long duplicated = delivered.stream().filter(l -> !seen.add(l)).count();
        long lost = expected.stream().filter(l -> !seen.contains(l)).count();
        System.out.printf("spooldir kill test: %d kill -9, %d lines, %d lost, %d duplicated (seed %d)%n", kills,
                expected.size(), lost, duplicated, seed);
        assertThat(List.of(lost, duplicated)).as("[lost, duplicated] lines after %d kill -9 (seed %d)", kills, seed)
                .isEqualTo(List.of(0L, 0L));
        assertThat(delivered).as("every line once, in file order").isEqualTo(expected);
    }

    /** Counts the changes of the position file's content seen by successive calls. */
    private static final class PositionWatch {
        private final Path file;
        private byte[] last;
        private int changes;

        PositionWatch(Path file) throws IOException {
            this.file = file;
            this.last = read();
        }

        int changes() throws IOException {
            byte[] now = read();
            if (!Arrays.equals(now, last)) {
                last = now;
                changes++;
            }
            return changes;
        }

        private byte[] read() throws IOException {
            try {
                return Files.readAllBytes(file);
            } catch (NoSuchFileException e) {
                return new byte[0];
            }
        }
    }

    private Process worker(String mode, Path protocolFile) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", cp, SpoolDirCrashWorker.class.getName(), mode, dir.toString(), protocolFile.toString())
                .redirectErrorStream(true).redirectOutput(outputOf(protocolFile).toFile()).start();
    }

    private static Path outputOf(Path protocolFile) {
        return protocolFile.resolveSibling(protocolFile.getFileName() + ".out");
    }

    private static String output(Path protocolFile) throws IOException {
        Path out = outputOf(protocolFile);
        return Files.exists(out) ? Files.readString(out) : "";
    }
}
