package io.sluice.e2e.rtsql;

import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One real {@code sluice server}: a flow created from one shell process is watched from another
 * (interactive, over a pipe); a wrong token is refused; after {@code kill -9} and a restart on the
 * same data directory the streams and flows are listed the same and the flow runs again.
 */
class RtsqlServerIT {
    @TempDir
    Path dir;

    private SluiceCli.Result shell(int port, String token, String... statements) throws Exception {
        String[] args = new String[6 + statements.length * 2];
        args[0] = "shell";
        args[1] = "--connect";
        args[2] = "127.0.0.1:" + port;
        args[3] = "--token-file";
        args[4] = token;
        args[5] = "--format=csv";
        for (int i = 0; i < statements.length; i++) {
            args[6 + 2 * i] = "-e";
            args[7 + 2 * i] = statements[i];
        }
        return SluiceCli.run(dir, Duration.ofSeconds(60), args);
    }

    private static ChildProcess server(Path work, int port) throws Exception {
        ChildProcess s = SluiceCli.start("rtsql-server", work, "server", "--port", Integer.toString(port),
                "--data-dir", work.resolve("server-data").toString());
        s.awaitLine("sluice server: listening on http://127.0.0.1:" + port, Duration.ofSeconds(60));
        return s;
    }

    @Test
    void flowsAreSharedBetweenShellsAndSurviveKillDashNine() throws Exception {
        int port = Ports.free();
        String token = dir.resolve("server-data/token").toString();
        Path wrong = dir.resolve("wrong-token");
        Files.writeString(wrong, "0123456789abcdef\n");
        try (ChildProcess server = server(dir, port)) {
            SluiceCli.Result refused = shell(port, wrong.toString(), "SHOW STREAMS");
            assertThat(refused.exitCode()).as(refused.err()).isEqualTo(1);
            assertThat(refused.err()).contains("refused the token (401)");

            SluiceCli.Result created = shell(port, token,
                    "CREATE STREAM nums (n BIGINT) FROM SOURCE 'seq';"
                    + "CREATE STREAM evens AS SELECT n FROM nums WHERE n % 2 = 0;"
                    + "SELECT n FROM evens WHERE n % 1000000 = 0");
            assertThat(created.exitCode()).as(created.err()).isZero();
            assertThat(created.err()).contains("Started flow 1");

            // the first shell has gone; a second one watches the flow it left running
            try (ChildProcess watcher = SluiceCli.start("shell-watch", dir, "shell", "--connect",
                    "127.0.0.1:" + port, "--token-file", token, "--format=csv")) {
                watcher.type("\\w 1\n");
                watcher.awaitLine(l -> l.matches("[1-9]\\d*000000"), "a row of flow 1", Duration.ofSeconds(60));
                watcher.type("\\u 1\n\\f\n");
                watcher.awaitLine(l -> l.contains("stopped watching flow 1"), "unwatched", Duration.ofSeconds(30));
                watcher.awaitLine(l -> l.matches("\\s+1\\s+RUNNING.*SELECT n FROM evens.*"), "flow 1 listed",
                        Duration.ofSeconds(30));
                watcher.type("\\q\n");
                assertThat(watcher.awaitExit(Duration.ofSeconds(30))).isZero();
            }
            // result tables go to stderr in script mode
            List<String> before = shell(port, token, "SHOW STREAMS").stderr();
            assertThat(before).anyMatch(l -> l.matches("\\s*nums\\s*\\|.*")).anyMatch(l -> l.matches("\\s*evens\\s*\\|.*"));

            server.kill();
        }
        try (ChildProcess server = server(dir, port)) {
            SluiceCli.Result streams = shell(port, token, "SHOW STREAMS");
            assertThat(streams.stderr()).contains("2 stream(s)").anyMatch(l -> l.matches("\\s*nums\\s*\\|.*"))
                    .anyMatch(l -> l.matches("\\s*evens\\s*\\|.*"));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                SluiceCli.Result flows = shell(port, token, "SHOW FLOWS");
                assertThat(flows.stderr()).anyMatch(l -> l.matches(
                        "\\s*1\\s*\\|\\s*RUNNING\\s*\\|\\s*[1-9]\\d*\\s*\\|.*SELECT n FROM evens.*"));
            });
            // a new flow does not reuse the restored flow's id
            assertThat(shell(port, token, "SELECT n FROM nums WHERE n < 0").err()).contains("Started flow 2");
        }
    }
}
