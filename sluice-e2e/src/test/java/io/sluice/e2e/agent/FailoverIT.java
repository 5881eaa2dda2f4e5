package io.sluice.e2e.agent;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.BlockedDirectory;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failover sink group moves traffic to the next sink while the preferred one fails, and back
 * once it recovers; no acknowledged event is lost on the way.
 */
class FailoverIT {

    @TempDir
    Path dir;

    @Test
    void trafficMovesToTheBackupSinkAndBack() throws Exception {
        int port = Ports.free();
        Path primary = dir.resolve("primary");
        Path backup = dir.resolve("backup");
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1 k2").set("sinkgroups", "g1")
                .netcatSource("r1", port, "c1")
                .set("channels.c1.type", "memory").set("channels.c1.capacity", 10000)
                .set("channels.c1.transactionCapacity", 100)
                .fileRollSink("k1", "c1", primary)
                .fileRollSink("k2", "c1", backup)
                .set("sinkgroups.g1.sinks", "k1 k2")
                .set("sinkgroups.g1.processor.type", "failover")
                .set("sinkgroups.g1.processor.priority.k1", 10)
                .set("sinkgroups.g1.processor.priority.k2", 5)
                .set("sinkgroups.g1.processor.maxpenalty", 2000)
                .writeTo(dir);
        BlockedDirectory primaryDir = new BlockedDirectory(primary);

        try (ChildProcess agent = SluiceCli.startAgent("failover", dir, conf, "a1");
                NetcatClient nc = new NetcatClient(awaitPort(agent, port), Duration.ofSeconds(30))) {
            Set<String> acked = new HashSet<>();

            // 1. Healthy: the higher priority sink k1 takes everything.
            List<String> first = send(nc, "healthy", 50, acked);
            await("healthy lines in primary").atMost(Duration.ofSeconds(30))
                    .until(() -> RolledFiles.lines(primaryDir.allDirectories()).containsAll(first));
            assertThat(RolledFiles.lines(backup)).isEmpty();

            // 2. k1 cannot write: traffic moves to k2.
            primaryDir.block();
            List<String> during = new ArrayList<>();
            await("a line delivered by the backup sink").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200)).pollInSameThread()
                    .until(() -> {
                        during.addAll(send(nc, "failing-" + during.size(), 1, acked));
                        return RolledFiles.lines(backup).stream().anyMatch(l -> l.startsWith("failing-"));
                    });
            List<String> moreDuring = send(nc, "failing-more", 50, acked);
            await("lines sent while k1 fails, in backup").atMost(Duration.ofSeconds(30))
                    .until(() -> RolledFiles.lines(backup).containsAll(moreDuring));

            // 3. k1 recovers: after its penalty, traffic returns to it.
            primaryDir.unblock();
            List<String> after = new ArrayList<>();
            await("a line delivered by the primary sink again").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).pollInSameThread()
                    .until(() -> {
                        after.addAll(send(nc, "recovered-" + after.size(), 1, acked));
                        return RolledFiles.lines(primary).stream().anyMatch(l -> l.startsWith("recovered-"));
                    });

            // Nothing acknowledged was lost on the way.
            await("every acknowledged line delivered").atMost(Duration.ofSeconds(30))
                    .until(() -> delivered(primaryDir, backup).containsAll(acked));
            List<String> all = new ArrayList<>(RolledFiles.lines(primaryDir.allDirectories()));
            all.addAll(RolledFiles.lines(backup));
            assertThat(all).doesNotHaveDuplicates();
            assertThat(new HashSet<>(all)).isEqualTo(acked);
        }
    }

    private static int awaitPort(ChildProcess agent, int port) {
        Ports.awaitListening(agent, port, Duration.ofSeconds(60));
        return port;
    }

    private static Set<String> delivered(BlockedDirectory primary, Path backup) {
        Set<String> all = new HashSet<>(RolledFiles.lines(primary.allDirectories()));
        all.addAll(RolledFiles.lines(backup));
        return all;
    }

    private static List<String> send(NetcatClient nc, String prefix, int n, Set<String> acked) throws IOException {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String line = n == 1 ? prefix : prefix + "-" + i;
            assertThat(nc.send(line)).as("answer to %s", line).isEqualTo("OK");
            acked.add(line);
            sent.add(line);
        }
        return sent;
    }
}
