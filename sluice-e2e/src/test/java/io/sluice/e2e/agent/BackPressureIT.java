package io.sluice.e2e.agent;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.BlockedDirectory;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Http;
import io.sluice.e2e.support.MetricsJson;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Bad input and a full channel lose nothing: with the only sink unable to write, a small memory
 * channel fills; netcat senders then get {@code FAILED} instead of {@code OK} and HTTP senders
 * get 503; malformed JSON gets 400 and commits nothing. Once the sink can write again, exactly
 * the accepted events are delivered: every one of them, and none that was refused.
 */
class BackPressureIT {
    private static final int CAPACITY = 20;

    @TempDir
    Path dir;

    @Test
    void fullChannelRefusesSendersAndDeliversEveryAcceptedEventOnceThePathClears() throws Exception {
        int netcatPort = Ports.free();
        int httpPort = Ports.free();
        int metricsPort = Ports.free();
        Path out = dir.resolve("out");
        Path conf = AgentConfig.of("a1")
                .components("nc web", "c1", "k1")
                .netcatSource("nc", netcatPort, "c1")
                .httpSource("web", httpPort, "c1")
                .set("channels.c1.type", "memory").set("channels.c1.capacity", CAPACITY)
                .set("channels.c1.transactionCapacity", 10).set("channels.c1.keep-alive", 0)
                .fileRollSink("k1", "c1", out)
                .set("sinks.k1.sink.batchSize", 10)
                .writeTo(dir);
        BlockedDirectory sinkDir = new BlockedDirectory(out);

        try (ChildProcess agent = SluiceCli.startAgent("back-pressure", dir, conf, "a1",
                "--metrics-port", String.valueOf(metricsPort))) {
            Ports.awaitListening(agent, netcatPort, Duration.ofSeconds(60));
            Ports.awaitListening(agent, httpPort, Duration.ofSeconds(60));
            Ports.awaitListening(agent, metricsPort, Duration.ofSeconds(60));

            // The sink rolls every second; from its next file on it cannot write.
            sinkDir.block();
            await("k1 failing to open a file").atMost(Duration.ofSeconds(30))
                    .until(() -> MetricsJson.counter(metricsPort, "SINK.k1", "ConnectionFailedCount") > 0);

            Set<String> accepted = new HashSet<>();
            Set<String> refused = new HashSet<>();

            // HTTP first: two batches of 5 fit.
            int http200 = 0;
            int http503 = 0;
            for (int b = 0; b < 2; b++) {
                if (postBatch(httpPort, "http-a" + b, accepted, refused)) {
                    http200++;
                } else {
                    http503++;
                }
            }

            // Malformed JSON: 400, nothing of it committed.
            long sizeBefore = MetricsJson.counter(metricsPort, "CHANNEL.c1", "ChannelSize");
            Http.Response malformed = Http.postJson(httpPort, "/", "[{\"headers\": {}, \"body\": \"never-committed\"}, {");
            assertThat(malformed.status()).as(malformed.body()).isEqualTo(400);
            assertThat(MetricsJson.counter(metricsPort, "CHANNEL.c1", "ChannelSize")).isEqualTo(sizeBefore);

            // netcat: one answer per line, OK until the channel is full, then FAILED.
            int netcatOk = 0;
            int netcatRefused = 0;
            try (NetcatClient nc = new NetcatClient(netcatPort, Duration.ofSeconds(30))) {
                for (int i = 0; i < CAPACITY; i++) {
                    String line = "netcat-" + i;
                    String reply = nc.send(line);
                    assertThat(reply).as("an answer to %s", line).isNotNull();
                    if (reply.equals("OK")) {
                        netcatOk++;
                        accepted.add(line);
                    } else {
                        assertThat(reply).startsWith("FAILED");
                        netcatRefused++;
                        refused.add(line);
                    }
                }
            }

            // HTTP again: the channel is full now.
            for (int b = 0; b < 2; b++) {
                if (postBatch(httpPort, "http-b" + b, accepted, refused)) {
                    http200++;
                } else {
                    http503++;
                }
            }

            System.out.printf("back-pressure: accepted=%d refused=%d (http 200=%d 503=%d, netcat OK=%d FAILED=%d)%n",
                    accepted.size(), refused.size(), http200, http503, netcatOk, netcatRefused);
            assertThat(http200).as("HTTP batches accepted before the channel filled").isGreaterThan(0);
            assertThat(http503).as("HTTP batches refused with 503 once it was full").isGreaterThan(0);
            assertThat(netcatOk).as("netcat lines answered OK").isGreaterThan(0);
            assertThat(netcatRefused).as("netcat lines answered FAILED").isGreaterThan(0);
            assertThat(accepted).as("accepted = the channel's capacity").hasSize(CAPACITY);
            assertThat(MetricsJson.counter(metricsPort, "CHANNEL.c1", "ChannelSize")).isEqualTo(CAPACITY);

            // The path clears: exactly the accepted events arrive.
            sinkDir.unblock();
            await("accepted events delivered").atMost(Duration.ofSeconds(60))
                    .until(() -> RolledFiles.lines(sinkDir.allDirectories()).size() >= accepted.size());
            await("channel empty").atMost(Duration.ofSeconds(30))
                    .until(() -> MetricsJson.counter(metricsPort, "CHANNEL.c1", "ChannelSize") == 0);
            List<String> delivered = RolledFiles.lines(sinkDir.allDirectories());
            assertThat(delivered).doesNotHaveDuplicates();
            assertThat(new HashSet<>(delivered)).isEqualTo(accepted);
            assertThat(delivered).doesNotContain("never-committed");
        }
    }

    /**
     * Posts a batch of five events: accepted (200, added to {@code accepted}, returns true) or
     * refused (must be 503, added to {@code refused}, returns false).
     */
    private static boolean postBatch(int port, String prefix, Set<String> accepted, Set<String> refused)
            throws Exception {
        List<String> bodies = bodies(prefix, 5);
        Http.Response r = Http.postJson(port, "/", json(bodies));
        if (r.status() == 200) {
            accepted.addAll(bodies);
            return true;
        }
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        refused.addAll(bodies);
        return false;
    }

    private static List<String> bodies(String prefix, int n) {
        List<String> b = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            b.add(prefix + "-" + i);
        }
        return b;
    }

    private static String json(List<String> bodies) {
        List<String> events = new ArrayList<>();
        for (String b : bodies) {
            events.add("{\"headers\": {\"test\": \"back-pressure\"}, \"body\": \"" + b + "\"}");
        }
        return "[" + String.join(", ", events) + "]";
    }
}
