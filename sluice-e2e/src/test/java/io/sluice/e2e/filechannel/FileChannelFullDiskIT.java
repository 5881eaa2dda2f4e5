package io.sluice.e2e.filechannel;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.BlockedDirectory;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import io.sluice.testing.SmallDisk;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real agent whose file channel lives on a tiny file system (an 8 MB tmpfs mounted by the test,
 * which needs root; skipped otherwise, and failing with CI=true) fills it while its sink cannot drain: puts are refused with
 * an error naming the directory, the free space and minimumRequiredSpace; once space returns the
 * agent accepts lines again by itself, and every acknowledged line is delivered.
 */
class FileChannelFullDiskIT {
    @TempDir
    Path dir;
    Path disk;
    SmallDisk smallDisk;

    @BeforeEach
    void mount() throws Exception {
        smallDisk = SmallDisk.mount(dir.resolve("disk"), "8m");
        disk = smallDisk.path();
    }

    @AfterEach
    void unmount() throws Exception {
        if (smallDisk != null) {
            smallDisk.close();
        }
    }

    @Test
    void fullDiskRefusesLinesClearlyAndRecoversWhenSpaceReturns() throws Exception {
        Path filler = disk.resolve("filler");
        fill(filler, 4L * 1024 * 1024);
        int port = Ports.free();
        Path out = dir.resolve("out");
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .netcatSource("r1", port, "c1").set("sources.r1.max-line-length", 4096)
                .set("channels.c1.type", "file")
                .set("channels.c1.checkpointDir", disk.resolve("checkpoint"))
                .set("channels.c1.dataDirs", disk.resolve("data"))
                .set("channels.c1.minimumRequiredSpace", 1024 * 1024)
                .set("channels.c1.maxFileSize", 256 * 1024)
                .set("channels.c1.checkpointInterval", 1000)
                .set("channels.c1.keep-alive", 0)
                .fileRollSink("k1", "c1", out)
                .writeTo(dir);
        Files.createDirectories(out);
        BlockedDirectory sinkDir = new BlockedDirectory(out);
        try (ChildProcess agent = SluiceCli.startAgent("full-disk", dir, conf, "a1")) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(90));
            sinkDir.block();
            List<String> acked = new ArrayList<>();
            String refusal = null;
            String pad = "x".repeat(1000);
            try (NetcatClient client = new NetcatClient(port, Duration.ofSeconds(30))) {
                for (int i = 0; i < 20_000 && refusal == null; i++) {
                    String line = "line-" + i + "-" + pad;
                    String reply = client.send(line);
                    if ("OK".equals(reply)) {
                        acked.add(line);
                    } else {
                        refusal = String.valueOf(reply);
                    }
                }
                assertThat(refusal).as("a line refused on a full disk").isNotNull();
                assertThat(acked).hasSizeGreaterThan(100);
                assertThat(refusal).startsWith("FAILED").contains("minimumRequiredSpace");
                agent.awaitLine(l -> l.contains("[a1.channels.c1] refuses puts") && l.contains(disk.toString())
                        && l.contains("free"), "the channel's refusal in the log", Duration.ofSeconds(30));

                Files.delete(filler);
                List<String> late = new ArrayList<>();
                await("a line accepted once space is back").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(250)).until(() -> {
                            String line = "late-" + late.size() + "-" + pad;
                            late.add(line);
                            if ("OK".equals(client.send(line))) {
                                acked.add(line);
                                return true;
                            }
                            return false;
                        });
            }
            sinkDir.unblock();
            await("every acknowledged line delivered").atMost(Duration.ofSeconds(120))
                    .until(() -> new HashSet<>(RolledFiles.lines(sinkDir.allDirectories())).containsAll(acked));
            assertThat(agent.isAlive()).isTrue();
            agent.terminate();
            agent.awaitExit(Duration.ofSeconds(60));
        }
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] block = new byte[64 * 1024];
        try (OutputStream o = Files.newOutputStream(file)) {
            for (long n = 0; n < bytes; n += block.length) {
                o.write(block);
            }
        }
    }
}
