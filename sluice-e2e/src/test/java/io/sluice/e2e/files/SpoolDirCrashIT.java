package io.sluice.e2e.files;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
    /** Files the spool directory starts with. */
    private static final int FILES = 12;
    private static final int LINES_PER_FILE = 8000;
    /**
     * Unread files the spool directory holds whenever an agent starts (topped up with new files):
     * more than a run can read between its random target and its kill, whatever the machine's speed.
     */
    private static final int UNREAD_FILES = 10;
    private static final int KILLS = 6;
    private static final int SOURCE_BATCH = 100;
    private static final int SINK_BATCH = 100;

    @TempDir
    Path dir;

    @Test
    void noLineIsLostAndOnlyInFlightBatchesRepeatAfterKillNines() throws Exception {
        Path spool = Files.createDirectories(dir.resolve("spool"));
        Set<String> expected = new HashSet<>();
        int files = 0;
        while (files < FILES) {
            spoolFile(spool, files++, expected);
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
        int midRead = 0;
        while (kills < KILLS) {
            int kill = ++kills;
            // a fast machine reads the whole directory in well under a second: keep it stocked
            while (files - completed(spool) < UNREAD_FILES) {
                spoolFile(spool, files++, expected);
            }
            ChildProcess agent = SluiceCli.startAgent("spool-" + kill, dir, conf, "a1");
            try {
                long target = RolledFiles.lines(out).size() + 1 + rnd.nextInt(2 * LINES_PER_FILE);
                await("lines delivered after restart " + kill).atMost(Duration.ofSeconds(90))
                        .pollInterval(Duration.ofMillis(50))
                        .failFast("agent run " + kill + " exited", () -> !agent.isAlive())
                        .until(() -> RolledFiles.lines(out).size() >= target);
            } catch (Throwable t) {
                throw new AssertionError("agent run " + kill + " failed\n" + agent.tail(), t);
            } finally {
                agent.kill();
                agent.close();
            }
            long done = completed(spool);
            if (done < files) {
                midRead++;
            }
            System.out.printf("SpoolDirCrashIT: kill %d after %d of %d files%n", kill, done, files);
        }
        // The last run only has to finish the directory; it is killed like the others once it has.
        int total = files;
        try (ChildProcess last = SluiceCli.startAgent("spool-final", dir, conf, "a1")) {
            await("every spooled file completed and every line rolled").atMost(Duration.ofSeconds(180))
                    .pollInterval(Duration.ofMillis(500))
                    .failFast("the final agent exited", () -> !last.isAlive())
                    .until(() -> completed(spool) == total && new HashSet<>(RolledFiles.lines(out)).containsAll(expected));
        }
        List<String> delivered = RolledFiles.lines(out);
        Set<String> distinct = new HashSet<>(delivered);
        Set<String> lost = new HashSet<>(expected);
        lost.removeAll(distinct);
        int duplicates = delivered.size() - distinct.size();
        System.out.printf("SpoolDirCrashIT: kills=%d (%d while files were unread) files=%d lines=%d delivered=%d"
                + " distinct=%d lost=%d duplicates=%d%n", kills, midRead, total, expected.size(), delivered.size(),
                distinct.size(), lost.size(), duplicates);
        assertThat(midRead).as("kill -9s while files were still being read").isEqualTo(KILLS);
        assertThat(lost).as("lines lost after %d kill -9s", kills).isEmpty();
        assertThat(distinct).isEqualTo(expected);
        assertThat(duplicates).as("lines delivered twice beyond the batches in flight at %d kills", kills)
                .isLessThanOrEqualTo(kills * (SOURCE_BATCH + SINK_BATCH));
    }

    /** Writes file number {@code f} beside the spool directory, then moves it in whole; adds its lines to {@code expected}. */
    private void spoolFile(Path spool, int f, Set<String> expected) throws IOException {
        List<String> lines = IntStream.range(0, LINES_PER_FILE)
                .mapToObj(i -> "file" + f + "-line" + i + "-" + "x".repeat(40)).toList();
        expected.addAll(lines);
        Path staged = Files.createDirectories(dir.resolve("staging")).resolve("part-" + f + ".log");
        Files.writeString(staged, lines.stream().collect(Collectors.joining("\n", "", "\n")));
        Files.setLastModifiedTime(staged, FileTime.fromMillis(1_700_000_000_000L + f * 1000L));
        Files.move(staged, spool.resolve(staged.getFileName()), StandardCopyOption.ATOMIC_MOVE);
    }

    private static long completed(Path spool) throws IOException {
        try (Stream<Path> s = Files.list(spool)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".COMPLETED")).count();
        }
    }
}
