package io.sluice.e2e.filechannel;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.FlumePeer;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code sluice channel import --from-flume} on a real Apache Flume 1.11 agent's file channel: the
 * agent's sink is down (an avro sink to a closed port), it acknowledges numbered events (netcat
 * {@code OK} after the channel commit), some before and some after a Flume checkpoint, and is
 * killed with {@code kill -9}. The import refuses while Flume runs and for directories that are
 * not a Flume channel, then moves every event with its headers, in order, without changing Flume's
 * files; a Sluice agent on the imported channel delivers each acknowledged event exactly once.
 */
class FlumeChannelImportIT {
    private static final int EVENTS = 300;

    @TempDir
    Path dir;

    @Test
    void everyEventFlumeAcknowledgedIsDeliveredOnceAfterTheImport() throws Exception {
        Path flumeDir = dir.resolve("flume");
        Path flumeCp = flumeDir.resolve("checkpoint");
        Path flumeData = flumeDir.resolve("data");
        int flumePort = Ports.free();
        Path flumeConf = AgentConfig.of("f1")
                .components("r1", "c1", "k1")
                .netcatSource("r1", flumePort, "c1")
                .set("sources.r1.interceptors", "i1")
                .set("sources.r1.interceptors.i1.type", "static")
                .set("sources.r1.interceptors.i1.key", "origin")
                .set("sources.r1.interceptors.i1.value", "flume-f1")
                .set("channels.c1.type", "file").set("channels.c1.checkpointDir", flumeCp)
                .set("channels.c1.dataDirs", flumeData).set("channels.c1.capacity", 20000)
                .set("channels.c1.transactionCapacity", 1000).set("channels.c1.checkpointInterval", 1000)
                .set("channels.c1.minimumRequiredSpace", 1048576)
                .set("sinks.k1.type", "avro").set("sinks.k1.channel", "c1")
                .set("sinks.k1.hostname", "127.0.0.1").set("sinks.k1.port", Ports.free())
                .writeTo(flumeDir);
        List<String> acknowledged = new ArrayList<>();
        String flumeDigest;
        try (ChildProcess flume = FlumePeer.startAgent("flume-f1", flumeDir, flumeConf, "f1")) {
            Ports.awaitListening(flume, flumePort, Duration.ofSeconds(90));
            try (NetcatClient client = new NetcatClient(flumePort, Duration.ofSeconds(30))) {
                for (int i = 0; i < EVENTS / 2; i++) {
                    if ("OK".equals(client.send("event-" + i))) {
                        acknowledged.add("event-" + i);
                    }
                }
                // the first half is in a checkpoint, the second half only in the log after it
                flume.awaitLine(l -> l.contains("Updated checkpoint"), "a Flume checkpoint", Duration.ofSeconds(30));
                for (int i = EVENTS / 2; i < EVENTS; i++) {
                    if ("OK".equals(client.send("event-" + i))) {
                        acknowledged.add("event-" + i);
                    }
                }
            }
            assertThat(acknowledged).hasSize(EVENTS);

            SluiceCli.Result running = importFlume(flumeCp, flumeData);
            assertThat(running.exitCode()).as(running.out() + running.err()).isEqualTo(2);
            assertThat(running.err()).contains("Apache Flume is still running on").contains("in_use.lock")
                    .contains("Stop the Flume agent");

            flume.kill();
        }
        flumeDigest = digest(flumeDir);

        Path empty = Files.createDirectories(dir.resolve("empty"));
        SluiceCli.Result notFlume = importFlume(empty, empty);
        assertThat(notFlume.exitCode()).as(notFlume.out() + notFlume.err()).isEqualTo(2);
        assertThat(notFlume.err()).contains("not an Apache Flume file channel").contains("no log-N files");

        SluiceCli.Result imported = importFlume(flumeCp, flumeData);
        assertThat(imported.exitCode()).as(imported.out() + imported.err()).isZero();
        assertThat(imported.out()).contains("moved " + EVENTS + " event(s) from the Apache Flume file channel");
        assertThat(digest(flumeDir)).as("the import only reads Flume's files").isEqualTo(flumeDigest);

        Path cp = dir.resolve("sluice/checkpoint");
        Path data = dir.resolve("sluice/data");
        SluiceCli.Result inspected = SluiceCli.run(dir, Duration.ofSeconds(60), "channel", "inspect", cp.toString(),
                data.toString());
        assertThat(inspected.out()).as("in Flume's order, with its headers").contains("events queued: " + EVENTS)
                .contains("oldest event: segment 1 offset 28: headers {origin=flume-f1}, body \"event-0\"")
                .contains("headers {origin=flume-f1}, body \"event-" + (EVENTS - 1) + "\"");

        SluiceCli.Result again = importFlume(flumeCp, flumeData);
        assertThat(again.exitCode()).as(again.out() + again.err()).isEqualTo(2);
        assertThat(again.err()).contains("already holds " + EVENTS + " event(s)").contains("--append");

        Path out = Files.createDirectories(dir.resolve("out"));
        int sluicePort = Ports.free();
        Path sluiceConf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .netcatSource("r1", sluicePort, "c1")
                .set("channels.c1.type", "file").set("channels.c1.checkpointDir", cp)
                .set("channels.c1.dataDirs", data).set("channels.c1.minimumRequiredSpace", 0)
                .fileRollSink("k1", "c1", out)
                .set("sinks.k1.sink.serializer", "header_and_text")
                .writeTo(dir.resolve("sluice-agent"));
        try (ChildProcess agent = SluiceCli.startAgent("sluice-a1", dir.resolve("sluice-agent"), sluiceConf, "a1")) {
            await().atMost(Duration.ofSeconds(60)).until(() -> RolledFiles.lines(out).size() >= EVENTS);
            agent.terminate();
            agent.awaitExit(Duration.ofSeconds(60));
        }
        List<String> delivered = RolledFiles.lines(out);
        List<String> expected = acknowledged.stream().map(b -> "{origin=flume-f1} " + b).toList();
        assertThat(delivered).as("every acknowledged event exactly once").hasSize(EVENTS)
                .containsExactlyInAnyOrderElementsOf(expected);
    }

    private SluiceCli.Result importFlume(Path checkpointDir, Path dataDir) throws Exception {
        return SluiceCli.run(dir, Duration.ofSeconds(90), "channel", "import", "--from-flume",
                checkpointDir.toString(), dataDir.toString(),
                "--to-checkpoint-dir", dir.resolve("sluice/checkpoint").toString(),
                "--to-data-dirs", dir.resolve("sluice/data").toString(),
                "--to", "minimumRequiredSpace=0", "--work-dir", dir.resolve("work").toString());
    }

    private static String digest(Path root) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList()) {
                md.update(p.toString().getBytes());
                md.update(Files.readAllBytes(p));
                md.update(Long.toString(Files.getLastModifiedTime(p).toMillis()).getBytes());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
