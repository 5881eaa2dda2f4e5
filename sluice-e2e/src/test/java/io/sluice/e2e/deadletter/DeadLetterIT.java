package io.sluice.e2e.deadletter;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Distribution;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real agent receives good lines interleaved with three kinds of poison: lines over the netcat
 * source's {@code max-line-length}, bodies the {@code json} interceptor cannot parse, and events
 * the sink's serializer (Apache Flume plugin API, from {@code plugins.d}) cannot write. The good
 * lines are all delivered, once each, while every poison event reaches the dead-letter file
 * channel with its reason; none is lost and none holds the sink back.
 */
class DeadLetterIT {
    private static final int LINES = 600;
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    Path dir;

    private enum Kind { GOOD, TOO_LONG, NOT_JSON, NO_USER }

    private static Kind kind(int i) {
        return switch (i % 10) {
            case 2 -> Kind.NOT_JSON;
            case 5 -> Kind.NO_USER;
            case 8 -> i % 20 == 8 ? Kind.TOO_LONG : Kind.GOOD;
            default -> Kind.GOOD;
        };
    }

    private static String line(int i) {
        return switch (kind(i)) {
            case GOOD -> "{\"user\":\"u" + i + "\",\"n\":" + i + "}";
            case TOO_LONG -> String.format("%04d", i) + "x".repeat(300);
            case NOT_JSON -> "not json " + i;
            case NO_USER -> "{\"n\":" + i + "}";
        };
    }

    @Test
    void poisonEventsReachTheDeadLetterChannelWhileGoodOnesAreDeliveredNoneLost() throws Exception {
        int port = Ports.free();
        Path out = Files.createDirectories(dir.resolve("out"));
        Path cp = dir.resolve("dlq-checkpoint");
        Path data = dir.resolve("dlq-data");
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1 dlq", "k1")
                .netcatSource("r1", port, "c1")
                .set("sources.r1.max-line-length", 200)
                .set("sources.r1.deadLetter.channel", "dlq")
                .set("sources.r1.interceptors", "j")
                .set("sources.r1.interceptors.j.type", "json")
                .set("sources.r1.interceptors.j.headers.user", "/user")
                .set("sources.r1.interceptors.j.onError", "deadLetter")
                .set("channels.c1.type", "memory").set("channels.c1.capacity", 10000)
                .set("channels.dlq.type", "file").set("channels.dlq.checkpointDir", cp)
                .set("channels.dlq.dataDirs", data).set("channels.dlq.minimumRequiredSpace", 0)
                .fileRollSink("k1", "c1", out)
                .set("sinks.k1.sink.batchSize", 50)
                .set("sinks.k1.sink.serializer", "com.acme.flume.PipeSerializer$Builder")
                .set("sinks.k1.sink.serializer.header", "user")
                .set("sinks.k1.sink.serializer.required", true)
                .set("sinks.k1.deadLetter.channel", "dlq")
                .writeTo(dir);
        List<String> expected = new ArrayList<>();
        int tooLong = 0;
        int notJson = 0;
        int noUser = 0;
        for (int i = 0; i < LINES; i++) {
            switch (kind(i)) {
                case GOOD -> expected.add("u" + i + "|" + line(i));
                case TOO_LONG -> tooLong++;
                case NOT_JSON -> notJson++;
                case NO_USER -> noUser++;
                default -> throw new IllegalStateException();
            }
        }
        List<String> jvm = new ArrayList<>(Distribution.TEST_JVM_OPTIONS);
        jvm.add("-Dsluice.plugins.path=" + Distribution.home().resolve(
                "sluice-flume-bridge/test-plugins/target/plugins.d"));
        try (ChildProcess agent = SluiceCli.start("dead-letters", dir, jvm, List.of("agent", "-n", "a1", "-f",
                conf.toString(), "--no-reload-conf", "--data-dir", dir.resolve("data").toString()))) {
            Ports.awaitListening(agent, port, WAIT);
            int failed = 0;
            try (NetcatClient client = new NetcatClient(port, Duration.ofSeconds(30))) {
                for (int i = 0; i < LINES; i++) {
                    String answer = client.send(line(i));
                    if (kind(i) == Kind.TOO_LONG) {
                        assertThat(answer).startsWith("FAILED: Event exceeds the maximum length (200 chars");
                        failed++;
                    } else {
                        assertThat(answer).as("answer to line %d", i).isEqualTo("OK");
                    }
                }
            }
            assertThat(failed).isEqualTo(tooLong);
            await("every good line written").atMost(WAIT).pollInterval(Duration.ofMillis(100))
                    .failFast(() -> !agent.isAlive())
                    .until(() -> RolledFiles.lines(out).size() >= expected.size());
            // the sink's dead letters are committed before its take: once the last good batch is
            // written, they are in the dead-letter channel
            agent.terminate();
            agent.awaitExit(WAIT);
        }
        List<String> written = RolledFiles.lines(out);
        assertThat(written).as("every good line once, in order").containsExactlyElementsOf(expected);

        SluiceCli.Result inspect = SluiceCli.run(dir, Duration.ofSeconds(60), "channel", "inspect", cp.toString(),
                data.toString(), "--dead-letters", "--limit", "3");
        assertThat(inspect.exitCode()).as(inspect.out() + inspect.err()).isZero();
        int letters = tooLong + notJson + noUser;
        assertThat(inspect.out())
                .contains("events queued: " + letters + "\n")
                .contains("dead letters: " + letters + "\n")
                .contains("  a1.sinks.k1: " + noUser + "\n")
                .contains(noUser + "  the serializer cannot write this event: java.lang.IllegalArgumentException:"
                        + " event has no 'user' header")
                .contains("  a1.sources.r1: " + tooLong + "\n")
                .contains(tooLong + "  line of 305 bytes (counting the newline) is longer than max-line-length 200;"
                        + " its first 200 bytes are kept")
                .contains("  a1.sources.r1.interceptors.j: " + notJson + "\n")
                .contains("body: ")
                .contains("first 3 dead letter(s), oldest first:");
    }
}
