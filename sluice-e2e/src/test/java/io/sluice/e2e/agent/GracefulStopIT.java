package io.sluice.e2e.agent;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.BlockedDirectory;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Http;
import io.sluice.e2e.support.MetricsJson;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM stops the sources, lets the sinks drain what the memory channel holds, then exits: an
 * agent stopped with a backlog still delivers all of it. The backlog is made certain by a sink
 * that cannot write until after the stop has begun.
 */
class GracefulStopIT {
    private static final int EVENTS = 1000;

    @TempDir
    Path dir;

    @Test
    void sigtermDrainsTheChannelBeforeExiting() throws Exception {
        int httpPort = Ports.free();
        int metricsPort = Ports.free();
        Path out = dir.resolve("out");
        Path conf = AgentConfig.of("a1")
                .components("web", "c1", "k1")
                .httpSource("web", httpPort, "c1")
                .set("channels.c1.type", "memory").set("channels.c1.capacity", 10 * EVENTS)
                .set("channels.c1.transactionCapacity", EVENTS)
                .fileRollSink("k1", "c1", out)
                .set("sinks.k1.sink.batchSize", 100)
                .writeTo(dir);
        BlockedDirectory sinkDir = new BlockedDirectory(out);

        try (ChildProcess agent = SluiceCli.startAgent("graceful-stop", dir, conf, "a1",
                "--drain-timeout", "120",
                "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + metricsPort)) {
            Ports.awaitListening(agent, httpPort, Duration.ofSeconds(60));
            Ports.awaitListening(agent, metricsPort, Duration.ofSeconds(60));
            sinkDir.block();
            await("k1 failing to open a file").atMost(Duration.ofSeconds(30))
                    .until(() -> MetricsJson.counter(metricsPort, "SINK.k1", "ConnectionFailedCount") > 0);

            List<String> bodies = new ArrayList<>();
            StringBuilder json = new StringBuilder("[");
            for (int i = 0; i < EVENTS; i++) {
                bodies.add("event-" + i);
                json.append(i == 0 ? "" : ",").append("{\"headers\":{},\"body\":\"event-").append(i).append("\"}");
            }
            Http.Response r = Http.postJson(httpPort, "/", json.append("]").toString());
            assertThat(r.status()).as(r.body()).isEqualTo(200);
            assertThat(MetricsJson.counter(metricsPort, "CHANNEL.c1", "ChannelSize")).isEqualTo(EVENTS);

            agent.terminate();
            agent.awaitLine("stopping: sources first", Duration.ofSeconds(30));
            sinkDir.unblock();
            assertThat(agent.awaitExit(Duration.ofSeconds(150))).as(agent.tail()).isEqualTo(SluiceCli.GRACEFUL_STOP_EXIT);

            agent.awaitLine("sinks drained the channels", Duration.ofSeconds(1));
            List<String> delivered = RolledFiles.lines(sinkDir.allDirectories());
            assertThat(delivered).doesNotHaveDuplicates();
            assertThat(new HashSet<>(delivered)).isEqualTo(new HashSet<>(bodies));
        }
    }
}
