package io.sluice.e2e.hdfs;

import io.sluice.e2e.filechannel.NumberedSenders;
import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real agent (netcat with acknowledgements -> file channel -> hdfs) writes into a MiniDFSCluster
 * that this JVM runs, and is killed with {@code kill -9} at random moments while numbered lines
 * stream in. At least once: every acknowledged line is in HDFS and the in-use files a killed
 * agent left are recovered (lease, close, rename) by the next start. Exactly once: every
 * acknowledged line is in HDFS exactly once after 20 kills.
 */
class HdfsCrashIT {
    @TempDir
    static File tmp;

    private static MiniDFSCluster cluster;
    private static FileSystem fs;

    @BeforeAll
    static void startCluster() throws Exception {
        File base = new File(tmp, "dfs");
        cluster = TestCluster.start(base);
        fs = cluster.getFileSystem();
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    private static File conf(File dir, int port, String hdfsDir, boolean exactlyOnce) {
        return AgentConfig.of("a1")
                .components("r1", "c1", "k1")
                .netcatSource("r1", port, "c1")
                .set("channels.c1.type", "file")
                .set("channels.c1.checkpointDir", new File(dir, "checkpoint"))
                .set("channels.c1.dataDirs", new File(dir, "data"))
                .set("channels.c1.checkpointInterval", 500)
                .set("channels.c1.minimumRequiredSpace", 0)
                .set("sinks.k1.type", "hdfs")
                .set("sinks.k1.channel", "c1")
                .set("sinks.k1.hdfs.path", fs.getUri() + hdfsDir)
                .set("sinks.k1.hdfs.fileType", "DataStream")
                // exactly once writes a commit record per batch (a small HDFS file: create, write,
                // close), so it drains the backlog three senders build in big batches
                .set("sinks.k1.hdfs.batchSize", exactlyOnce ? 1000 : 50)
                .set("sinks.k1.hdfs.rollCount", 2000)
                .set("sinks.k1.hdfs.rollSize", 0)
                .set("sinks.k1.hdfs.rollInterval", 0)
                .set("sinks.k1.hdfs.minBlockReplicas", 1)
                .set("sinks.k1.hdfs.callTimeout", 10000)
                .set("sinks.k1.hdfs.exactlyOnce", exactlyOnce)
                .writeTo(dir.toPath())
                .toFile();
    }

    /** Every line of every data file under {@code dir}, in-use files included (commit records excluded). */
    private static List<String> lines(String dir) throws IOException {
        List<String> out = new ArrayList<>();
        for (Path p : files(dir)) {
            try (InputStream in = fs.open(p)) {
                String s = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                if (!s.isEmpty()) {
                    out.addAll(List.of(s.split("\n")));
                }
            }
        }
        return out;
    }

    private static List<Path> files(String dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!fs.exists(new Path(dir))) {
            return out;
        }
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(new Path(dir), true);
        while (it.hasNext()) {
            Path p = it.next().getPath();
            if (!p.toUri().getPath().contains("/.sluice-commits/")) {
                out.add(p);
            }
        }
        return out;
    }

    private static long inUse(String dir) throws IOException {
        return files(dir).stream().filter(p -> p.getName().endsWith(".tmp")).count();
    }

    /** Runs {@code kills} agent lives, each killed with kill -9 after a random pause; returns the acknowledged lines. */
    private static Set<String> killRepeatedly(File dir, File config, int port, String hdfsDir, int kills,
            long seed) throws Exception {
        Random rnd = new Random(seed);
        NumberedSenders senders = new NumberedSenders(port, 3);
        try {
            for (int kill = 1; kill <= kills; kill++) {
                ChildProcess agent = SluiceCli.startAgent("hdfs-" + kill, dir.toPath(), config.toPath(), "a1");
                try {
                    Ports.awaitListening(agent, port, Duration.ofSeconds(90));
                    int before = senders.acknowledgedCount();
                    await("lines acknowledged after restart " + kill).atMost(Duration.ofSeconds(60))
                            .until(() -> senders.acknowledgedCount() > before);
                    if (kill > 1) {
                        // the files the previous, killed agent left in use are recovered by this one
                        await("leftovers of run " + (kill - 1) + " recovered").atMost(Duration.ofSeconds(60))
                                .until(() -> inUse(hdfsDir) <= 1);
                    }
                    long pause = 200 + rnd.nextInt(1300);
                    long start = System.nanoTime();
                    await().pollDelay(Duration.ofMillis(pause)).atMost(Duration.ofSeconds(30))
                            .until(() -> System.nanoTime() - start >= pause * 1_000_000L);
                } catch (Throwable t) {
                    throw new AssertionError("agent run " + kill + " failed\n" + agent.tail(), t);
                } finally {
                    agent.kill();
                    agent.close();
                }
            }
        } finally {
            senders.close();
        }
        return senders.acknowledged();
    }

    private static void drainAndStop(File dir, File config, int port, String hdfsDir, Set<String> acked)
            throws Exception {
        ChildProcess last = SluiceCli.startAgent("hdfs-final", dir.toPath(), config.toPath(), "a1");
        try {
            Ports.awaitListening(last, port, Duration.ofSeconds(90));
            await("every acknowledged line in " + hdfsDir).atMost(Duration.ofSeconds(120)).ignoreExceptions()
                    .until(() -> new HashSet<>(lines(hdfsDir)).containsAll(acked));
        } finally {
            last.terminate();
            last.awaitExit(Duration.ofSeconds(60));
            last.close();
        }
    }

    @Test
    void atLeastOnceKillNineLosesNothingAndLeavesNoInUseFiles() throws Exception {
        File dir = new File(tmp, "alo");
        int port = Ports.free();
        String hdfsDir = "/alo";
        File config = conf(dir, port, hdfsDir, false);
        int kills = 3;
        Set<String> acked = killRepeatedly(dir, config, port, hdfsDir, kills, 20261206L);
        drainAndStop(dir, config, port, hdfsDir, acked);
        List<String> delivered = lines(hdfsDir);
        Set<String> distinct = new HashSet<>(delivered);
        Set<String> missing = new HashSet<>(acked);
        missing.removeAll(distinct);
        System.out.printf("HdfsCrashIT at-least-once: kills=%d acknowledged=%d delivered=%d duplicates=%d lost=%d"
                + " in_use_left=%d%n", kills, acked.size(), delivered.size(), delivered.size() - distinct.size(),
                missing.size(), inUse(hdfsDir));
        assertThat(missing).as("acknowledged lines missing after %d kill -9s", kills).isEmpty();
        assertThat(inUse(hdfsDir)).as("in-use files after a clean stop").isZero();
    }

    @Test
    void exactlyOnceTwentyKillNinesLoseNothingAndDuplicateNothing() throws Exception {
        File dir = new File(tmp, "eo");
        int port = Ports.free();
        String hdfsDir = "/eo";
        File config = conf(dir, port, hdfsDir, true);
        int kills = 20;
        long t0 = System.nanoTime();
        Set<String> acked = killRepeatedly(dir, config, port, hdfsDir, kills, 20261207L);
        drainAndStop(dir, config, port, hdfsDir, acked);
        long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
        List<String> delivered = lines(hdfsDir);
        Map<String, Integer> counts = new HashMap<>();
        delivered.forEach(l -> counts.merge(l, 1, Integer::sum));
        List<String> duplicated = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey)
                .sorted().toList();
        Set<String> missing = new HashSet<>(acked);
        missing.removeAll(counts.keySet());
        System.out.printf("HdfsCrashIT exactly-once: kills=%d acknowledged=%d delivered=%d duplicates=%d lost=%d"
                + " in_use_left=%d seconds=%d%n", kills, acked.size(), delivered.size(), duplicated.size(),
                missing.size(), inUse(hdfsDir), seconds);
        assertThat(acked.size()).isGreaterThan(kills * 10);
        assertThat(missing).as("acknowledged lines missing after %d kill -9s", kills).isEmpty();
        assertThat(duplicated).as("lines written twice after %d kill -9s", kills).isEmpty();
        assertThat(inUse(hdfsDir)).as("in-use files after a clean stop").isZero();
    }
}
