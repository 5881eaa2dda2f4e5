package io.sluice.e2e.jdbcchannel;

import io.sluice.e2e.filechannel.KillNineLoop;
import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.Ports;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real agent (netcat with acknowledgements -> jdbc channel on its default embedded Derby database
 * -> file_roll) is killed with {@code kill -9} at random moments while numbered lines stream in, and
 * restarted each time ({@link KillNineLoop}). At the end every acknowledged line must be in the
 * rolled files at least once; duplicates are allowed (at-least-once) and reported as a count.
 */
class JdbcChannelCrashIT {
    private static final int KILLS = 5;

    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedLineSurvivesKillNines() throws Exception {
        int port = Ports.free();
        Path out = dir.resolve("out");
        Path conf = AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .netcatSource("r1", port, "c1")
                .set("channels.c1.type", "jdbc")
                .set("channels.c1.sysprop.user.home", dir.resolve("home"))
                .fileRollSink("k1", "c1", out)
                .set("sinks.k1.sink.batchSize", 50)
                .writeTo(dir);
        KillNineLoop.Outcome o = KillNineLoop.run("jdbc-crash", dir, conf, port, out, KILLS, 4, 20261206L);
        System.out.printf("JdbcChannelCrashIT: kills=%d acknowledged=%d delivered=%d duplicates=%d%n", KILLS,
                o.acknowledged().size(), o.delivered().size(), o.duplicates());
        assertThat(o.acknowledged().size()).isGreaterThan(KILLS * 10);
        assertThat(o.missing()).as("acknowledged lines missing after %d kill -9s", KILLS).isEmpty();
        // the database is where sysprop.user.home says, as with Apache Flume
        assertThat(dir.resolve("home/.flume/jdbc-channel/db")).isDirectory();
    }
}
