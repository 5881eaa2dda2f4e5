package io.sluice.e2e.hostile;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A supervisor (systemd, a container runtime) stops an agent with SIGTERM: a graceful stop that
 * completed exits 0, as docs/cli.md says, not 128 + the signal. (SIGHUP reloads the configuration
 * instead of stopping: ReloadIT.)
 */
class StopExitStatusIT {
    @TempDir
    Path dir;

    private int stopWith(String signal) throws Exception {
        int port = Ports.free();
        Path conf = AgentConfig.of("a1")
                .components("nc", "c1", "k1")
                .netcatSource("nc", port, "c1")
                .set("channels.c1.type", "memory")
                .set("sinks.k1.type", "null").set("sinks.k1.channel", "c1")
                .writeTo(dir.resolve(signal));
        try (ChildProcess agent = SluiceCli.startAgent("stop-" + signal, dir, conf, "a1")) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(60));
            Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(agent.pid())).inheritIO().start();
            assertThat(kill.waitFor()).isZero();
            int code = agent.awaitExit(Duration.ofSeconds(60));
            assertThat(agent.output()).contains("stopped");
            return code;
        }
    }

    @Test
    void sigtermStopsGracefullyWithExitStatusZero() throws Exception {
        assertThat(stopWith("TERM")).isEqualTo(SluiceCli.GRACEFUL_STOP_EXIT).isZero();
    }
}
