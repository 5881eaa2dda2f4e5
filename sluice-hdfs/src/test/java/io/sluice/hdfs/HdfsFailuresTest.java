package io.sluice.hdfs;

import io.sluice.api.ComponentKind;
import io.sluice.api.Status;
import io.sluice.channel.file.FileChannel;
import io.sluice.channel.file.FileChannelFactory;
import io.sluice.core.config.SingleComponentConfig;
import io.sluice.testing.EmbeddedAgent;
import io.sluice.testing.LogCapture;
import java.io.File;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.hadoop.fs.Path;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Failures against a real HDFS (one {@link MiniHdfs} for the class): a take whose commit fails after
 * its exactly-once record was written, recovery of in-use files to their committed length, and an
 * outage of the whole cluster in the middle of a stream (last, since it restarts the cluster).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HdfsFailuresTest {
    @TempDir
    static File tmp;

    private static MiniHdfs hdfs;

    @BeforeAll
    static void startCluster() throws Exception {
        hdfs = MiniHdfs.start(new File(tmp, "dfs"));
    }

    @AfterAll
    static void stopCluster() throws Exception {
        if (hdfs != null) {
            hdfs.close();
        }
    }

    private static FileChannel fileChannel(String name) {
        File base = new File(tmp, name);
        SingleComponentConfig c = SingleComponentConfig.builder(ComponentKind.CHANNEL, "c1")
                .keys("checkpointDir", new File(base, "checkpoint").toString(), "dataDirs",
                        new File(base, "data").toString(), "minimumRequiredSpace", "0")
                .agentDataDirectory(base.toPath()).build();
        FileChannel ch = (FileChannel) new FileChannelFactory().create(c.context());
        assertThat(c.problems()).isEmpty();
        return ch;
    }

    private static HdfsSink exactlyOnceSink(String dir, File data) {
        SingleComponentConfig c = SingleComponentConfig.builder(ComponentKind.SINK, "k1")
                .keys("hdfs.path", hdfs.url(dir), "hdfs.fileType", "DataStream", "hdfs.exactlyOnce", "true",
                        "hdfs.rollInterval", "0", "hdfs.rollSize", "0", "hdfs.rollCount", "0",
                        "hdfs.minBlockReplicas", "1", "hdfs.batchSize", "10")
                .agentDataDirectory(data.toPath()).build();
        HdfsSink sink = (HdfsSink) new HdfsSinkFactory().create(c.context());
        assertThat(c.problems()).isEmpty();
        return sink;
    }

    private static List<String> lines(Path p) throws Exception {
        String s = new String(hdfs.read(p), StandardCharsets.UTF_8);
        return s.isEmpty() ? List.of() : List.of(s.split("\n"));
    }

    private static List<String> allLines(String dir) throws Exception {
        List<String> all = new ArrayList<>();
        for (Path p : hdfs.files(dir)) {
            if (!p.toUri().getPath().contains("/" + CommitLog.DIRECTORY + "/")) {
                all.addAll(lines(p));
            }
        }
        return all;
    }

    @Test
    @Order(1)
    void exactlyOnceSkipsABatchWhoseRecordWasWrittenButWhoseTakeWasNotCommitted() throws Exception {
        String dir = "/eo-skip";
        FileChannel ch = fileChannel("eo-skip");
        ch.start();
        FailingCommitChannel channel = new FailingCommitChannel(ch);
        HdfsSink sink = exactlyOnceSink(dir, new File(tmp, "eo-skip-agent"));
        sink.setChannel(channel);
        sink.start();
        try (LogCapture log = LogCapture.start()) {
            assertThat(sink.counter().snapshot()).as("the skip counter is shown from the start")
                    .containsEntry(HdfsSink.EXACTLY_ONCE_SKIPPED, 0L);
            Agents.put(ch, Agents.events(0, 10, Map.of()));
            Agents.put(ch, Agents.events(10, 15, Map.of()));
            channel.failNextCommit();
            assertThatThrownBy(sink::process).hasMessageContaining("injected");
            assertThat(ch.size()).as("the failed take went back to the channel").isEqualTo(15);
            assertThat(allLines(dir)).as("but its batch is in HDFS").containsExactlyElementsOf(Agents.bodies(0, 10));
            assertThat(sink.process()).isEqualTo(Status.READY);
            assertThat(sink.skippedEvents()).isEqualTo(10);
            assertThat(sink.counter().get(HdfsSink.EXACTLY_ONCE_SKIPPED)).isEqualTo(10);
            assertThat(log.warnings()).as("the skip is a warning naming what was not written")
                    .anySatisfy(w -> assertThat(w).contains("a1.sinks.k1").contains("not writing 10 of the 10 events")
                            .contains("already in HDFS").contains(".sluice-commits")
                            .contains(HdfsSink.EXACTLY_ONCE_SKIPPED));
            assertThat(sink.process()).isEqualTo(Status.READY);
            assertThat(ch.size()).isZero();
        } finally {
            sink.stop();
            ch.stop();
        }
        // the next start finishes the in-use file: every event exactly once
        HdfsSink again = exactlyOnceSink(dir, new File(tmp, "eo-skip-agent"));
        FileChannel ch2 = fileChannel("eo-skip");
        ch2.start();
        again.setChannel(ch2);
        again.start();
        again.stop();
        ch2.stop();
        assertThat(hdfs.files(dir).stream().map(Path::getName)).noneMatch(n -> n.endsWith(".tmp"));
        assertThat(allLines(dir)).containsExactlyElementsOf(Agents.bodies(0, 15));
    }

    @Test
    @Order(2)
    void exactlyOnceRecoveryCutsAnInUseFileToItsCommittedLength() throws Exception {
        String dir = "/eo-cut";
        File data = new File(tmp, "eo-cut-agent");
        FileChannel ch = fileChannel("eo-cut");
        ch.start();
        HdfsSink sink = exactlyOnceSink(dir, data);
        sink.setChannel(ch);
        sink.start();
        Agents.put(ch, Agents.events(0, 6, Map.of()));
        assertThat(sink.process()).isEqualTo(Status.READY);
        String inUse = sink.openFiles().get(0);
        sink.closeWithoutRenamingForTest(); // as if killed after the commit
        sink.stop();
        ch.stop();
        Path p = new Path(inUse);
        Awaitility.await("the abandoned file is closed").atMost(Duration.ofSeconds(30))
                .until(() -> hdfs.dfs().isFileClosed(p));
        try (OutputStream out = hdfs.fs().append(p)) {
            out.write("never-committed\n".getBytes(StandardCharsets.UTF_8));
        }
        HdfsSink again = exactlyOnceSink(dir, data);
        FileChannel ch2 = fileChannel("eo-cut");
        ch2.start();
        again.setChannel(ch2);
        again.start();
        again.stop();
        ch2.stop();
        assertThat(hdfs.fs().exists(p)).isFalse();
        assertThat(allLines(dir)).containsExactlyElementsOf(Agents.bodies(0, 6));
    }

    @Test
    @Order(3)
    void commitRecordsTornByACrashAreIgnored() throws Exception {
        Path d = new Path("/torn-records");
        CommitLog log = new CommitLog(hdfs.fs(), d);
        assertThat(log.latest()).isNull();
        log.write(new CommitLog.Batch(5, 9, 5), List.of(new CommitLog.CommittedFile("/a.tmp", "/a", 42)));
        CommitLog.writeTorn(hdfs.fs(), d, 2);
        CommitLog.Record r = new CommitLog(hdfs.fs(), d).latest();
        assertThat(r.seq()).isEqualTo(1);
        assertThat(r.batch()).isEqualTo(new CommitLog.Batch(5, 9, 5));
        assertThat(r.files()).containsExactly(new CommitLog.CommittedFile("/a.tmp", "/a", 42));
    }

    @Test
    @Order(10)
    void anOutageOfTheClusterRollsBackAndDeliveryResumesByItselfWhenItIsBack() throws Exception {
        String dir = "/outage";
        Map<String, String> keys = Map.of("hdfs.path", hdfs.url(dir), "hdfs.fileType", "DataStream",
                "hdfs.rollInterval", "0", "hdfs.rollSize", "0", "hdfs.rollCount", "0", "hdfs.minBlockReplicas", "1",
                "hdfs.batchSize", "50", "hdfs.callTimeout", "3000", "hdfs.retryInterval", "1");
        int total = 0;
        long outageMillis;
        long writeFails;
        try (EmbeddedAgent a = EmbeddedAgent.start("a1", Agents.hdfsAgent("memory", keys))) {
            Agents.put(a.agent().channels().get("c1"), Agents.events(0, 200, Map.of()));
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 200, Duration.ofSeconds(60));
            long down = System.nanoTime();
            int port = hdfs.stop();
            Agents.put(a.agent().channels().get("c1"), Agents.events(200, 400, Map.of()));
            a.awaitCounter("SINK", "k1", "EventWriteFail", 1, Duration.ofSeconds(60));
            assertThat(a.counter("CHANNEL", "c1", "ChannelSize")).as("events wait in the channel").isPositive();
            hdfs.startAgain(port);
            outageMillis = (System.nanoTime() - down) / 1_000_000;
            a.awaitCounter("SINK", "k1", "EventDrainSuccessCount", 400, Duration.ofSeconds(120));
            writeFails = a.counter("SINK", "k1", "EventWriteFail");
            total = 400;
        }
        // the file open when the cluster went down needs block recovery, which the next start of the agent
        // asks for (see HdfsSinkTest.leftoverInUseFilesOfTheJournalAreRecoveredOnStart); here the test asks
        for (Path p : hdfs.files(dir)) {
            if (p.getName().endsWith(".tmp")) {
                Awaitility.await("lease of " + p + " recovered").atMost(Duration.ofSeconds(120))
                        .pollInterval(Duration.ofSeconds(1)).until(() -> hdfs.dfs().recoverLease(p));
            }
        }
        Awaitility.await("files closed").atMost(Duration.ofSeconds(60)).until(() -> {
            Set<String> seen = new HashSet<>(allLines(dir));
            return seen.containsAll(Agents.bodies(0, 400));
        });
        List<String> all = allLines(dir);
        Set<String> distinct = new HashSet<>(all);
        System.out.printf("HdfsFailuresTest outage: events=%d outage_ms=%d write_failures=%d delivered=%d"
                + " duplicates=%d lost=%d%n", total, outageMillis, writeFails, all.size(), all.size() - distinct.size(),
                total - distinct.size());
        assertThat(distinct).containsAll(Agents.bodies(0, total));
        assertThat(writeFails).isPositive();
    }
}
