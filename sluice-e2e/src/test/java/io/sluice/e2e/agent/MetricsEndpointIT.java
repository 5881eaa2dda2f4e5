package io.sluice.e2e.agent;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Http;
import io.sluice.e2e.support.MetricsJson;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The counters over HTTP, enabled the Apache Flume way ({@code -Dflume.monitoring.type=http
 * -Dflume.monitoring.port=N}): {@code /metrics} in Flume's JSON shape and {@code /prometheus} in
 * the Prometheus text format, with the agent, kind and component as labels.
 */
class MetricsEndpointIT {
    private static final long TOTAL = 5000;

    @TempDir
    Path dir;

    @Test
    void countersAreServedAsFlumeJsonAndAsPrometheusText() throws Exception {
        int metricsPort = Ports.free();
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .set("sources.r1.type", "seq").set("sources.r1.batchSize", 100).set("sources.r1.totalEvents", TOTAL)
                .set("sources.r1.channels", "c1")
                .set("channels.c1.type", "memory").set("channels.c1.capacity", 1000)
                .set("channels.c1.transactionCapacity", 100)
                .set("sinks.k1.type", "null").set("sinks.k1.batchSize", 100).set("sinks.k1.channel", "c1")
                .writeTo(dir);

        try (ChildProcess agent = SluiceCli.startAgent("metrics", dir, conf, "a1",
                "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + metricsPort)) {
            Ports.awaitListening(agent, metricsPort, Duration.ofSeconds(60));
            await("all seq events drained").atMost(Duration.ofSeconds(60))
                    .until(() -> MetricsJson.counter(metricsPort, "SINK.k1", "EventDrainSuccessCount") == TOTAL);

            Http.Response json = Http.get(metricsPort, "/metrics");
            assertThat(json.status()).isEqualTo(200);
            assertThat(json.contentType()).contains("json");
            Map<String, Map<String, String>> groups = MetricsJson.parse(json.body());
            assertThat(groups).containsKeys("SOURCE.r1", "CHANNEL.c1", "SINK.k1");
            assertThat(groups.get("SOURCE.r1")).containsEntry("EventAcceptedCount", String.valueOf(TOTAL))
                    .containsEntry("Type", "SOURCE");
            assertThat(groups.get("CHANNEL.c1")).containsEntry("EventPutSuccessCount", String.valueOf(TOTAL))
                    .containsEntry("EventTakeSuccessCount", String.valueOf(TOTAL))
                    .containsEntry("ChannelSize", "0")
                    .containsKeys("ChannelCapacity", "ChannelFillPercentage", "StartTime", "StopTime");
            assertThat(groups.get("SINK.k1")).containsEntry("EventDrainSuccessCount", String.valueOf(TOTAL));

            Http.Response prom = Http.get(metricsPort, "/prometheus");
            assertThat(prom.status()).isEqualTo(200);
            assertThat(prom.contentType()).startsWith("text/plain");
            assertThat(prom.body().lines())
                    .anyMatch(l -> l.startsWith("#") && l.contains("TYPE"))
                    .anyMatch(l -> !l.startsWith("#") && l.contains("agent=\"a1\"") && l.contains("\"k1\"")
                            && l.endsWith(" " + TOTAL));
        }
    }
}
