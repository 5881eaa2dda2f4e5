package io.sluice.channel.file.spillable;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What a spillable memory channel promises across {@code kill -9}: every event whose put commit went
 * to the overflow survives, in order, and nothing that was only in memory comes back. A child JVM
 * ({@link SpillableCrashWorker}) is killed with SIGKILL three times while it puts.
 */
class SpillableKillNineTest {
    private static final int KILLS = 3;

    @TempDir
    Path dir;

    @Test
    void theOverflowSurvivesKillNineInOrderAndMemoryDoesNot() throws Exception {
        List<Long> overflowed = new ArrayList<>();
        List<Long> inMemory = new ArrayList<>();
        /** The events of the batch each run may have committed without saying so before its kill. */
        List<List<Long>> unacknowledged = new ArrayList<>();
        long next = 0;
        for (int run = 0; run < KILLS; run++) {
            List<String> lines = runAndKill(run, next);
            long end = next;
            for (String l : lines) {
                if (l.startsWith("P ")) {
                    String[] p = l.split(" ");
                    for (long k = Long.parseLong(p[1]); k < Long.parseLong(p[2]); k++) {
                        (p[3].equals("o") ? overflowed : inMemory).add(k);
                    }
                    end = Long.parseLong(p[2]);
                }
            }
            List<Long> maybe = new ArrayList<>();
            for (long k = end; k < end + 100; k++) {
                maybe.add(k);
            }
            unacknowledged.add(maybe);
            next = end + 1_000_000; // leave room for the unacknowledged batch
        }
        assertThat(inMemory).hasSizeGreaterThanOrEqualTo(KILLS * SpillableCrashWorker.MEMORY_CAPACITY - KILLS * 100);
        assertThat(overflowed).hasSizeGreaterThan(1000);

        SpillableMemoryChannel ch = SpillableCrashWorker.open(dir);
        assertThat(ch.memorySize()).isZero();
        List<Long> left = new ArrayList<>();
        while (true) {
            List<Event> out = new ArrayList<>();
            try (Transaction tx = ch.getTransaction()) {
                tx.begin();
                tx.takeBatch(1000, out);
                tx.commit();
            }
            if (out.isEmpty()) {
                break;
            }
            out.forEach(e -> left.add(Long.parseLong(e.header("n"))));
        }
        ch.stop();
        // what survived is every acknowledged overflow event, in put order, plus at most the batch each
        // run committed without acknowledging it before its kill
        List<Long> extra = new ArrayList<>(left);
        extra.removeAll(overflowed);
        for (long k : extra) {
            assertThat(unacknowledged.stream().anyMatch(u -> u.contains(k)))
                    .as("event %d survived but was never put to the overflow", k).isTrue();
        }
        List<Long> acknowledgedLeft = new ArrayList<>(left);
        acknowledgedLeft.removeAll(extra);
        assertThat(acknowledgedLeft).isEqualTo(overflowed);
        assertThat(left).isSorted();
        assertThat(left).doesNotContainAnyElementsOf(inMemory);
    }

    private List<String> runAndKill(int run, long first) throws Exception {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path protocolFile = dir.resolve("protocol-" + run + ".txt");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-cp", cp, SpillableCrashWorker.class.getName(), dir.toString(), Long.toString(first),
                protocolFile.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("out-" + run + ".txt")
                .toFile()).start();
        int minLines = 20 + SpillableCrashWorker.MEMORY_CAPACITY / 10 + run * 7;
        await().atMost(60, TimeUnit.SECONDS).pollInterval(5, TimeUnit.MILLISECONDS)
                .until(() -> countOverflowed(protocol(protocolFile)) >= minLines || !p.isAlive());
        assertThat(p.isAlive()).as("worker alive; its output: %s", Files.readString(dir.resolve("out-" + run
                + ".txt"))).isTrue();
        p.destroyForcibly();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(137);
        return protocol(protocolFile);
    }

    private static long countOverflowed(List<String> lines) {
        return lines.stream().filter(l -> l.endsWith(" o")).count();
    }

    /** The complete protocol lines written so far, without their {@code @@} prefix. */
    private static List<String> protocol(Path file) throws IOException {
        List<String> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int end = text.lastIndexOf('\n');
        for (String l : text.substring(0, Math.max(0, end)).split("\n")) {
            if (l.startsWith("@@")) {
                out.add(l.substring(2));
            }
        }
        return out;
    }
}
