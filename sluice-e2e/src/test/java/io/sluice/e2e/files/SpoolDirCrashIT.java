package io.sluice.e2e.files;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real agent reads a large spool directory (spooldir -> file channel -> file_roll) and is killed
 * with {@code kill -9} at random moments while it reads, then restarted. At the end every line of
 * every file must be in the rolled files, and the lines delivered twice must be explained by the
 * batches in flight at each kill: at most one source batch (read, not yet committed) and one sink
 * batch (written, take not yet committed) per kill. Re-reading a file from its start after a
 * restart would exceed that bound by thousands of lines.
 */
class SpoolDirCrashIT {
    private static final int FILES = 12;
    private static final int LINES_PER_FILE = 8000;
    private static final int KILLS = 6;
    private static final int SOURCE_BATCH = 100;
    private static final int SINK_BATCH = 100;

    @TempDir
    Path dir;

    @Test
    void noLineIsLostAndOnlyInFlightBatchesRepeatAfterKillNines() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        Set<String> expected = new HashSet<>();
        for (int f = 0; f < FILES; f++) {
            int file = f;
            List<String> lines = IntStream.range(0, LINES_PER_FILE)
                    .mapToObj(i -> "file" + file + "-line" + i + "-" + "x".repeat(40)).toList();
            expected.addAll(lines);
            Path p = Files.writeString(spool.resolve("part-" + f + ".log"),
                    lines.stream().collect(Collectors.joining("\n", "", "\n")));
            Files.setLastModifiedTime(p, FileTime.fromMillis(1_700_000_000_000L + f * 1000L));
        }
        Path out = dir.resolve("out");
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .set("sources.r1.type", "spooldir")
                .set("sources.r1.spoolDir", spool)
                .set("sources.r1.channels", "c1")
                .set("sources.r1.batchSize", SOURCE_BATCH)
                .set("sources.r1.pollDelay", 100)
                .set("channels.c1.type", "file")
                .set("channels.c1.checkpointDir", dir.resolve("checkpoint"))
                .set("channels.c1.dataDirs", dir.resolve("data1"))
                .set("channels.c1.checkpointInterval", 1000)
                .set("channels.c1.capacity", 20000)
                .set("channels.c1.transactionCapacity", 1000)
                .set("channels.c1.minimumRequiredSpace", 0)
                .fileRollSink("k1", "c1", out)
                .set("sinks.k1.sink.batchSize", SINK_BATCH)
                .writeTo(dir);
        Random rnd = new Random(20261206L);
        int kills = 0;
        while (kills < KILLS && completed(spool) < FILES) {
            int kill = ++kills;
            ChildProcess agent = SluiceCli.startAgent("spool-" + kill, dir, conf, "a1");
            try {
                int before = RolledFiles.lines(out).size();
                await("lines delivered after restart " + kill).atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(100))
                        .until(() -> RolledFiles.lines(out).size() > before || completed(spool) == FILES);
                long pause = 50 + rnd.nextInt(700);
                long start = System.nanoTime();
                await().pollDelay(Duration.ofMillis(pause)).atMost(Duration.ofSeconds(30))
                        .until(() -> System.nanoTime() - start >= pause * 1_000_000L);
                System.out.printf("SpoolDirCrashIT: kill %d after %d of %d files%n", kill, completed(spool), FILES);
            } catch (Throwable t) {
                throw new AssertionError("agent run " + kill + " failed\n" + agent.tail(), t);
            } finally {
                agent.kill();
                agent.close();
            }
        }
        // The last run only has to finish the directory; it is killed like the others once it has.
        try (ChildProcess last = SluiceCli.startAgent("spool-final", dir, conf, "a1")) {
            await("every spooled file completed and every line rolled").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("the final agent exited", () -> !last.isAlive())
                    .until(() -> completed(spool) == FILES && new HashSet<>(RolledFiles.lines(out)).containsAll(expected));
        }
        List<String> delivered = RolledFiles.lines(out);
        Set<String> distinct = new HashSet<>(delivered);
        Set<String> lost = new HashSet<>(expected);
        lost.removeAll(distinct);
        int duplicates = delivered.size() - distinct.size();
        System.out.printf("SpoolDirCrashIT: kills=%d lines=%d delivered=%d distinct=%d lost=%d duplicates=%d%n",
                kills, expected.size(), delivered.size(), distinct.size(), lost.size(), duplicates);
        assertThat(kills).as("kill -9s while files were still being read").isGreaterThanOrEqualTo(2);
        assertThat(lost).as("lines lost after %d kill -9s", kills).isEmpty();
        assertThat(distinct).isEqualTo(expected);
        assertThat(duplicates).as("lines delivered twice beyond the batches in flight at %d kills", kills)
                .isLessThanOrEqualTo(kills * (SOURCE_BATCH + SINK_BATCH));
    }

    private static long completed(Path spool) throws IOException {
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".COMPLETED")).count();
        }
    }
}
