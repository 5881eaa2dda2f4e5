package io.sluice.e2e.filechannel;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.Ports;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real agent (netcat with acknowledgements -> file channel -> file_roll) is killed with
 * {@code kill -9} at random moments while numbered lines stream in, and restarted each time. At the
 * end every acknowledged line must be in the rolled files at least once; duplicates are allowed
 * (at-least-once) and reported as a count.
 */
class FileChannelCrashIT {
    private static final int KILLS = 20;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedLineSurvivesTwentyKillNines() throws Exception {
        int port = Ports.free();
        Path out = dir.resolve("out");
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .netcatSource("r1", port, "c1")
                .set("channels.c1.type", "file")
                .set("channels.c1.checkpointDir", dir.resolve("checkpoint"))
                .set("channels.c1.dataDirs", dir.resolve("data1") + "," + dir.resolve("data2"))
                .set("channels.c1.useDualCheckpoints", true)
                .set("channels.c1.backupCheckpointDir", dir.resolve("backup"))
                .set("channels.c1.checkpointInterval", 500)
                .set("channels.c1.maxFileSize", 64 * 1024)
                .set("channels.c1.minimumRequiredSpace", 0)
                .fileRollSink("k1", "c1", out)
                .set("sinks.k1.sink.batchSize", 50)
                .writeTo(dir);
        KillNineLoop.Outcome o = KillNineLoop.run("crash", dir, conf, port, out, KILLS, 4, 20260321L);
        System.out.printf("FileChannelCrashIT: kills=%d acknowledged=%d delivered=%d distinct=%d duplicates=%d%n",
                KILLS, o.acknowledged().size(), o.delivered().size(), o.delivered().size() - o.duplicates(),
                o.duplicates());
        assertThat(o.acknowledged().size()).isGreaterThan(KILLS * 10);
        assertThat(o.missing()).as("acknowledged lines missing after %d kill -9s", KILLS).isEmpty();
    }
}
