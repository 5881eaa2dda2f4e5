package io.sluice.e2e.agent;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.MetricsJson;
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
 * A running agent picks up a changed configuration file (by its poll, or at once on SIGHUP) and
 * restarts only what changed; a changed file with problems is refused and the running agent keeps
 * serving.
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
            agent.awaitLine("[a1] reloaded: kept: channels.c1, sinks.k1; restarted: sources.r1",
                    Duration.ofSeconds(10));

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

    /** r1 (seq, 1000 events) -> c1 (memory) with no sink, so c1 holds r1's events; plus {@code extra}. */
    private static AgentConfig seqIntoAMemoryChannel(int capacity) {
        return AgentConfig.of("a1")
                .set("sources", "r1").set("channels", "c1")
                .set("sources.r1.type", "seq").set("sources.r1.totalEvents", 1000)
                .set("sources.r1.batchSize", 100).set("sources.r1.channels", "c1")
                .set("channels.c1.type", "memory").set("channels.c1.capacity", capacity);
    }

    @Test
    void sighupAppliesTheChangedFileAtOnceAndKeepsWhatDidNotChange() throws Exception {
        int metrics = Ports.free();
        Path conf = seqIntoAMemoryChannel(5000).writeTo(dir);
        // --no-reload-conf (startAgent's default): no poll, only SIGHUP makes the agent look.
        try (ChildProcess agent = SluiceCli.startAgent("reload-hup", dir, conf, "a1",
                "--metrics-port", String.valueOf(metrics))) {
            Ports.awaitListening(agent, metrics, Duration.ofSeconds(60));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    MetricsJson.counter(metrics, "CHANNEL.c1", "ChannelSize") == 1000);

            seqIntoAMemoryChannel(20000)
                    .set("sources", "r1 r2").set("channels", "c1 c2").set("sinks", "k2")
                    .set("sources.r2.type", "seq").set("sources.r2.totalEvents", 500)
                    .set("sources.r2.channels", "c2")
                    .set("channels.c2.type", "memory")
                    .set("sinks.k2.type", "null").set("sinks.k2.channel", "c2")
                    .writeTo(dir);
            Process hup = new ProcessBuilder("kill", "-HUP", Long.toString(agent.pid())).inheritIO().start();
            assertThat(hup.waitFor()).isZero();

            agent.awaitLine("SIGHUP: checking the configuration now", Duration.ofSeconds(30));
            agent.awaitLine("[a1] reloaded: kept: sources.r1; resized: channels.c1; added: channels.c2, sinks.k2,"
                    + " sources.r2", Duration.ofSeconds(30));
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    MetricsJson.counter(metrics, "SINK.k2", "EventDrainSuccessCount") == 500);
            assertThat(MetricsJson.counter(metrics, "CHANNEL.c1", "ChannelSize"))
                    .as("the kept memory channel kept its events").isEqualTo(1000);
            assertThat(MetricsJson.counter(metrics, "CHANNEL.c1", "ChannelCapacity")).isEqualTo(20000);
            assertThat(MetricsJson.counter(metrics, "CHANNEL.c1", "EventPutSuccessCount"))
                    .as("counters of kept components are not reset").isEqualTo(1000);
            assertThat(MetricsJson.counter(metrics, "SOURCE.r1", "EventAcceptedCount"))
                    .as("the kept source was not restarted (a new seq source would send its 1000 again)")
                    .isEqualTo(1000);
            assertThat(agent.isAlive()).as("SIGHUP reloads, it does not stop the agent").isTrue();
            assertThat(agent.output()).doesNotContain("[a1] stopping");

            agent.terminate();
            assertThat(agent.awaitExit(Duration.ofSeconds(60))).isEqualTo(SluiceCli.GRACEFUL_STOP_EXIT);
        }
    }
}
