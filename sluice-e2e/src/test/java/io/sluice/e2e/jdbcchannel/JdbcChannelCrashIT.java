package io.sluice.e2e.jdbcchannel;

import io.sluice.e2e.filechannel.NumberedSenders;
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
 * A real agent (netcat with acknowledgements -> jdbc channel on its default embedded Derby database
 * -> file_roll) is killed with {@code kill -9} at random moments while numbered lines stream in, and
 * restarted each time. At the end every acknowledged line must be in the rolled files at least
 * once; duplicates are allowed (at-least-once) and reported as a count.
 */
class JdbcChannelCrashIT {
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedLineSurvivesKillNines() throws Exception {
        int port = Ports.free();
        Path out = dir.resolve("out");
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .netcatSource("r1", port, "c1")
                .set("channels.c1.type", "jdbc")
                .set("channels.c1.sysprop.user.home", dir.resolve("home"))
                .fileRollSink("k1", "c1", out)
                .set("sinks.k1.sink.batchSize", 50)
                .writeTo(dir);
        Random rnd = new Random(20261206L);
        NumberedSenders senders = new NumberedSenders(port, 4);
        try {
            for (int kill = 1; kill <= KILLS; kill++) {
                ChildProcess agent = SluiceCli.startAgent("jdbc-crash-" + kill, dir, conf, "a1");
                try {
                    Ports.awaitListening(agent, port, Duration.ofSeconds(90));
                    int before = senders.acknowledgedCount();
                    await("lines acknowledged after restart " + kill).atMost(Duration.ofSeconds(60))
                            .until(() -> senders.acknowledgedCount() > before);
                    long pause = 200 + rnd.nextInt(800);
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
        ChildProcess last = SluiceCli.startAgent("jdbc-crash-final", dir, conf, "a1");
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
        System.out.printf("JdbcChannelCrashIT: kills=%d acknowledged=%d delivered=%d distinct=%d duplicates=%d%n",
                KILLS, acked.size(), delivered.size(), distinct.size(), delivered.size() - distinct.size());
        assertThat(acked.size()).isGreaterThan(KILLS * 10);
        assertThat(missing).as("acknowledged lines missing after %d kill -9s", KILLS).isEmpty();
        // the database is where sysprop.user.home says, as with Apache Flume
        assertThat(dir.resolve("home/.flume/jdbc-channel/db")).isDirectory();
    }
}
