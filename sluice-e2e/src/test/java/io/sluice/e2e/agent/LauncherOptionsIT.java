package io.sluice.e2e.agent;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Apache Flume's launcher options on {@code sluice agent}: {@code -c DIR} picks the logging
 * configuration in that directory, {@code -Dk=v} sets a system property the configuration reads as
 * {@code ${sys:k}}, and {@code --metrics-port} serves the counters.
 */
class LauncherOptionsIT {

    @TempDir
    Path dir;

    @Test
    void confDirectoryAndSystemPropertiesWorkAsInFlume() throws Exception {
        Path confDir = Files.createDirectories(dir.resolve("conf"));
        Files.writeString(confDir.resolve("logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>custom-logging | %level %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/></root>
                </configuration>
                """);
        int port = Ports.free();
        Path out = dir.resolve("delivered");
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .netcatSource("r1", "${sys:test.port}", "c1")
                .set("channels.c1.type", "memory")
                .set("sinks.k1.type", "file_roll").set("sinks.k1.channel", "c1")
                .set("sinks.k1.sink.directory", "${sys:test.out}")
                .writeTo(confDir);

        try (ChildProcess agent = SluiceCli.startAgent("launcher-options", dir, conf, "a1",
                "-c", confDir.toString(), "-Dtest.port=" + port, "-Dtest.out=" + out)) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(60));
            try (NetcatClient nc = new NetcatClient(port, Duration.ofSeconds(30))) {
                assertThat(nc.send("via system properties")).isEqualTo("OK");
            }
            await("the line in " + out).atMost(Duration.ofSeconds(30))
                    .until(() -> RolledFiles.lines(out).contains("via system properties"));
            agent.awaitLine("custom-logging | INFO", Duration.ofSeconds(5));
            assertThat(agent.stdout()).filteredOn(l -> l.contains(" - [a1")).allMatch(l -> l.startsWith("custom-logging | "));

            agent.terminate();
            agent.awaitExit(Duration.ofSeconds(60));
            agent.awaitLine("custom-logging | INFO RunningAgent - [a1] stopped", Duration.ofSeconds(1));
        }
    }
}
