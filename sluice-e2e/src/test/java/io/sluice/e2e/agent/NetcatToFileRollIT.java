package io.sluice.e2e.agent;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A netcat -> memory -> file_roll agent, run from the distribution, delivers every acknowledged line. */
class NetcatToFileRollIT {
    private static final int CONNECTIONS = 4;
    private static final int LINES_PER_CONNECTION = 1000;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedLineEndsUpInTheRolledFilesExactlyOnce() throws Exception {
        int port = Ports.free();
        Path out = dir.resolve("out");
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .netcatSource("r1", port, "c1")
                .set("channels.c1.type", "memory").set("channels.c1.capacity", 10000)
                .set("channels.c1.transactionCapacity", 1000)
                .fileRollSink("k1", "c1", out)
                .set("sinks.k1.sink.batchSize", 100)
                .writeTo(dir);

        try (ChildProcess agent = SluiceCli.startAgent("netcat-file-roll", dir, conf, "a1")) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(60));

            ExecutorService senders = Executors.newFixedThreadPool(CONNECTIONS);
            List<Future<List<String>>> acked = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int connection = c;
                acked.add(senders.submit(() -> {
                    List<String> ok = new ArrayList<>();
                    try (NetcatClient client = new NetcatClient(port, Duration.ofSeconds(30))) {
                        for (int i = 0; i < LINES_PER_CONNECTION; i++) {
                            String line = "conn" + connection + "-line" + i;
                            String reply = client.send(line);
                            assertThat(reply).as("answer to %s", line).isEqualTo("OK");
                            ok.add(line);
                        }
                    }
                    return ok;
                }));
            }
            Set<String> sent = new HashSet<>();
            for (Future<List<String>> f : acked) {
                sent.addAll(f.get());
            }
            senders.shutdown();
            assertThat(sent).hasSize(CONNECTIONS * LINES_PER_CONNECTION);

            await("all lines in " + out).atMost(Duration.ofSeconds(60))
                    .until(() -> RolledFiles.lines(out).size() >= sent.size());
            List<String> delivered = RolledFiles.lines(out);
            assertThat(delivered).doesNotHaveDuplicates();
            assertThat(new HashSet<>(delivered)).isEqualTo(sent);
            assertThat(agent.isAlive()).isTrue();
        }
    }
}
