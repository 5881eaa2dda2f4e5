package io.sluice.e2e.filechannel;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.BlockedDirectory;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code sluice channel inspect} from the distribution, on the directories of a real agent's file
 * channel: while the agent runs, after it stopped, and after a byte of a segment was flipped. It
 * reports what is queued and the damage, and never changes a file.
 */
class ChannelInspectIT {
    @TempDir
    Path dir;

    @Test
    void inspectReportsQueuedEventsAndCorruptionWithoutChangingFiles() throws Exception {
        int port = Ports.free();
        Path out = dir.resolve("out");
        Path cp = dir.resolve("checkpoint");
        Path data = dir.resolve("data");
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .netcatSource("r1", port, "c1")
                .set("channels.c1.type", "file").set("channels.c1.checkpointDir", cp)
                .set("channels.c1.dataDirs", data).set("channels.c1.minimumRequiredSpace", 0)
                .fileRollSink("k1", "c1", out)
                .writeTo(dir);
        Files.createDirectories(out);
        try (ChildProcess agent = SluiceCli.startAgent("inspect-agent", dir, conf, "a1")) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(90));
            new BlockedDirectory(out).block();
            // the sink's open file rolls within a second; after that nothing drains
            // Wait for the sink's own failure: any line naming a1.sinks.k1 (its runner thread's name
            // is on every line it logs) could come from before the block, and lines sent then are
            // still drained into the moved directory's open file.
            agent.awaitLine(l -> l.contains("[a1.sinks.k1] could not process events"),
                    "the sink failing on its blocked directory",
                    Duration.ofSeconds(30));
            try (NetcatClient client = new NetcatClient(port, Duration.ofSeconds(30))) {
                for (int i = 0; i < 50; i++) {
                    assertThat(client.send("queued-" + i)).isEqualTo("OK");
                }
            }
            SluiceCli.Result live = SluiceCli.run(dir, Duration.ofSeconds(60), "channel", "inspect", cp.toString(),
                    data.toString());
            assertThat(live.exitCode()).as(live.out() + live.err()).isZero();
            assertThat(live.out()).contains("format version: 2").contains("events queued: 50")
                    .contains("queued-0").contains("queued-49").contains("corruption: none found");
            agent.terminate();
            agent.awaitExit(Duration.ofSeconds(60));
        }
        String before = digest();
        SluiceCli.Result stopped = SluiceCli.run(dir, Duration.ofSeconds(60), "channel", "inspect", cp.toString(),
                data.toString(), "--verify");
        assertThat(stopped.exitCode()).as(stopped.out() + stopped.err()).isZero();
        assertThat(stopped.out()).contains("events queued: 50").contains("every record checked");

        Path segment;
        try (Stream<Path> s = Files.list(data)) {
            segment = s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().findFirst()
                    .orElseThrow();
        }
        flip(segment, 28 + 40);
        String damaged = digest();
        SluiceCli.Result corrupt = SluiceCli.run(dir, Duration.ofSeconds(60), "channel", "inspect", cp.toString(),
                data.toString(), "--verify");
        assertThat(corrupt.exitCode()).as(corrupt.out() + corrupt.err()).isEqualTo(1);
        assertThat(corrupt.out()).contains("checksum mismatch").contains(segment.getFileName().toString());
        assertThat(digest()).as("inspect must not change any file").isEqualTo(damaged);
        assertThat(before).isNotEqualTo(damaged);
    }

    private String digest() throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).filter(p -> !p.toString().contains("out")).sorted().toList()) {
                md.update(p.toString().getBytes());
                md.update(Files.readAllBytes(p));
                md.update(Long.toString(Files.getLastModifiedTime(p).toMillis()).getBytes());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            f.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x10));
            b.position(0);
            f.write(b, offset);
        }
    }
}
