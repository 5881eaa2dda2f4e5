package io.sluice.e2e.filechannel;

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

import static org.awaitility.Awaitility.await;

/**
 * The crash loop of the durable-channel tests: an agent (netcat with acknowledgements on
 * {@code port} -> the channel under test -> {@code file_roll} into {@code out}) is started, killed
 * with {@code kill -9} once lines were acknowledged and a random 100 to 1000 ms later, and started
 * again, {@code kills} times, while {@link NumberedSenders} stream numbered lines; then a last agent
 * runs until every acknowledged line is in the rolled files (or 120 s pass). Not thread-safe.
 */
public final class KillNineLoop {
    /** What the senders had acknowledged, and every line the rolled files hold at the end. */
    public record Outcome(Set<String> acknowledged, List<String> delivered) {
        public Set<String> missing() {
            Set<String> m = new HashSet<>(acknowledged);
            m.removeAll(new HashSet<>(delivered));
            return m;
        }

        public int duplicates() {
            return delivered.size() - new HashSet<>(delivered).size();
        }
    }

    private KillNineLoop() {
    }

    public static Outcome run(String name, Path dir, Path conf, int port, Path out, int kills, int connections,
            long seed) throws Exception {
        Random rnd = new Random(seed);
        NumberedSenders senders = new NumberedSenders(port, connections);
        try {
            for (int kill = 1; kill <= kills; kill++) {
                ChildProcess agent = SluiceCli.startAgent(name + "-" + kill, dir, conf, "a1");
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
        ChildProcess last = SluiceCli.startAgent(name + "-final", dir, conf, "a1");
        try {
            Ports.awaitListening(last, port, Duration.ofSeconds(90));
            await("every acknowledged line in " + out).atMost(Duration.ofSeconds(120))
                    .until(() -> new HashSet<>(RolledFiles.lines(out)).containsAll(acked));
        } finally {
            last.terminate();
            last.awaitExit(Duration.ofSeconds(60));
            last.close();
        }
        return new Outcome(acked, RolledFiles.lines(out));
    }
}
