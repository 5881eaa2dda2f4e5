package io.sluice.e2e.rtsql;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real agent started with {@code --rtsql-server} tapped by a real {@code sluice server}: a flow over
 * {@code FROM NODE 'a1.r1'} waits for the agent, then counts the events of its netcat source while
 * the agent's own sink still gets every one of them.
 */
class NodeTapIT {
    @TempDir
    Path dir;

    private SluiceCli.Result shell(int port, String token, String statements) throws Exception {
        return SluiceCli.run(dir, Duration.ofSeconds(60), "shell", "--connect", "127.0.0.1:" + port, "--token-file",
                token, "-e", statements);
    }

    @Test
    void aFlowOverANodeGetsTheAgentsEventsAndTheAgentLosesNone() throws Exception {
        int port = Ports.free();
        int netcat = Ports.free();
        Path data = dir.resolve("server-data");
        String token = data.resolve("token").toString();
        try (ChildProcess server = SluiceCli.start("rtsql-server", dir, "server", "--port", Integer.toString(port),
                "--data-dir", data.toString())) {
            server.awaitLine("sluice server: listening on", Duration.ofSeconds(60));
            SluiceCli.Result created = shell(port, token, "CREATE STREAM clicks (user STRING, page STRING) FROM NODE"
                    + " 'a1.r1'; SELECT user FROM clicks WHERE page = '/cart'");
            assertThat(created.err()).as(created.err()).contains("Started flow 1");

            Path sinkDir = dir.resolve("sink");
            Path conf = AgentConfig.of("a1").components("r1", "c1", "k1").netcatSource("r1", netcat, "c1")
                    .set("channels.c1.type", "memory").fileRollSink("k1", "c1", sinkDir).writeTo(dir.resolve("agent"));
            try (ChildProcess agent = SluiceCli.startAgent("agent-a1", dir.resolve("agent"), conf, "a1",
                    "--rtsql-server", "127.0.0.1:" + port, "--rtsql-token-file", token)) {
                Ports.awaitListening(agent, netcat, Duration.ofSeconds(60));
                server.awaitLine(l -> l.contains("node a1 registered"), "the agent registered", Duration.ofSeconds(60));
                try (NetcatClient nc = new NetcatClient(netcat, Duration.ofSeconds(10))) {
                    for (int i = 0; i < 100; i++) {
                        assertThat(nc.send("u" + i + "," + (i % 4 == 0 ? "/cart" : "/home"))).isEqualTo("OK");
                    }
                }
                await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(shell(port, token, "SHOW FLOWS")
                        .stderr()).anyMatch(l -> l.matches("\\s*1\\s*\\|\\s*RUNNING\\s*\\|\\s*100\\s*\\|\\s*25\\s*\\|.*")));
                await().atMost(Duration.ofSeconds(60)).until(() -> RolledFiles.lines(sinkDir).size() == 100);
            }
        }
    }
}
