package io.sluice.e2e.agent;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A running agent picks up a changed configuration file; a changed file with problems is refused
 * and the running agent keeps serving.
 */
class ReloadIT {

    @TempDir
    Path dir;

    private static AgentConfig netcatLogger(int port) {
        return AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .netcatSource("r1", port, "c1")
                .set("channels.c1.type", "memory")
                .set("sinks.k1.type", "logger").set("sinks.k1.channel", "c1");
    }

    @Test
    void aChangedFileIsAppliedAndABrokenOneIsRefused() throws Exception {
        int first = Ports.free();
        int second = Ports.free();
        Path conf = netcatLogger(first).writeTo(dir);

        try (ChildProcess agent = SluiceCli.start("reload", dir, "agent", "-n", "a1", "-f", conf.toString(),
                "--reload-interval", "1", "--data-dir", dir.resolve("data").toString())) {
            Ports.awaitListening(agent, first, Duration.ofSeconds(60));

            netcatLogger(second).writeTo(dir);
            Ports.awaitListening(agent, second, Duration.ofSeconds(60));
            await("the old port closed").atMost(Duration.ofSeconds(30)).until(() -> !Ports.isListening(first));
            agent.awaitLine("reloaded the changed configuration", Duration.ofSeconds(10));

            Files.writeString(conf, netcatLogger(first).text() + "a1.channels.c1.capacity = -5\n");
            agent.awaitLine("the changed configuration is not applied", Duration.ofSeconds(60));
            agent.awaitLine("a1.channels.c1.capacity = -5", Duration.ofSeconds(5));
            try (NetcatClient nc = new NetcatClient(second, Duration.ofSeconds(30))) {
                assertThat(nc.send("kept-serving")).isEqualTo("OK");
            }
            agent.awaitLine(l -> l.contains("[a1.sinks.k1] Event:") && l.contains("kept-serving"),
                    "the logger sink logging the event", Duration.ofSeconds(30));
            assertThat(agent.isAlive()).isTrue();
        }
    }
}
