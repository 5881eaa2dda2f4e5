package io.sluice.e2e.filechannel;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real agent (netcat with acknowledgements -> file channel -> file_roll) is killed with
 * {@code kill -9} at random moments while numbered lines stream in, and restarted each time. At the
 * end every acknowledged line must be in the rolled files at least once; duplicates are allowed
 * (at-least-once) and reported as a count.
 */
class FileChannelCrashIT {
    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedLineSurvivesTwentyKillNines() throws Exception {
        int port = Ports.free();
        Path out = dir.resolve("out");
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .netcatSource("r1", port, "c1")
                .set("channels.c1.type", "file")
                .set("channels.c1.checkpointDir", dir.resolve("checkpoint"))
                .set("channels.c1.dataDirs", dir.resolve("data1") + "," + dir.resolve("data2"))
                .set("channels.c1.useDualCheckpoints", true)
                .set("channels.c1.backupCheckpointDir", dir.resolve("backup"))
                .set("channels.c1.checkpointInterval", 500)
                .set("channels.c1.maxFileSize", 64 * 1024)
                .set("channels.c1.minimumRequiredSpace", 0)
                .fileRollSink("k1", "c1", out)
                .set("sinks.k1.sink.batchSize", 50)
                .writeTo(dir);
        Random rnd = new Random(20260321L);
        NumberedSenders senders = new NumberedSenders(port, 4);
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                ChildProcess agent = SluiceCli.startAgent("crash-" + kill, dir, conf, "a1");
                try {
                    Ports.awaitListening(agent, port, Duration.ofSeconds(90));
                    int before = senders.acknowledgedCount();
                    await("lines acknowledged after restart " + kill).atMost(Duration.ofSeconds(60))
                            .until(() -> senders.acknowledgedCount() > before);
                    long pause = 100 + rnd.nextInt(900);
                    long start = System.nanoTime();
                    await().pollDelay(Duration.ofMillis(pause)).atMost(Duration.ofSeconds(30))
                            .until(() -> System.nanoTime() - start >= pause * 1_000_000L);
                } catch (Throwable t) {
                    throw new AssertionError("agent run " + kill + " failed\n" + agent.tail(), t);
                } finally {
                    agent.kill();
                    agent.close();
                }
            }
        } finally {
            senders.close();
        }
        Set<String> acked = senders.acknowledged();
        ChildProcess last = SluiceCli.startAgent("crash-final", dir, conf, "a1");
        try {
            Ports.awaitListening(last, port, Duration.ofSeconds(90));
            await("every acknowledged line in " + out).atMost(Duration.ofSeconds(120))
                    .until(() -> new HashSet<>(RolledFiles.lines(out)).containsAll(acked));
        } finally {
            last.terminate();
            last.awaitExit(Duration.ofSeconds(60));
            last.close();
        }
        List<String> delivered = RolledFiles.lines(out);
        Set<String> distinct = new HashSet<>(delivered);
        Set<String> missing = new HashSet<>(acked);
        missing.removeAll(distinct);
        int duplicates = delivered.size() - distinct.size();
        System.out.printf("FileChannelCrashIT: kills=%d acknowledged=%d delivered=%d distinct=%d duplicates=%d%n",
                KILLS, acked.size(), delivered.size(), distinct.size(), duplicates);
        assertThat(acked.size()).isGreaterThan(KILLS * 10);
        assertThat(missing).as("acknowledged lines missing after %d kill -9s", KILLS).isEmpty();
    }
}
