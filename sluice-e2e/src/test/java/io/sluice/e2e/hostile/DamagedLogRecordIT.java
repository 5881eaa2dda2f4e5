package io.sluice.e2e.hostile;

import io.sluice.channel.file.log.LogFormat;
import io.sluice.channel.file.log.SegmentScanner;
import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.MetricsJson;
import io.sluice.e2e.support.NetcatClient;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * One flipped byte in the middle of a file channel's log, found on replay after {@code kill -9}:
 * the damaged event is lost and counted, every intact committed event behind it is delivered, and
 * the damaged bytes stay on disk.
 */
class DamagedLogRecordIT {
    private static final int LINES = 1000;
    private static final int DAMAGED = 500;

    @TempDir
    Path dir;

    private AgentConfig channel(AgentConfig c) {
        return c.set("channels.c1.type", "file")
                .set("channels.c1.checkpointDir", dir.resolve("checkpoint"))
                .set("channels.c1.dataDirs", dir.resolve("data"))
                .set("channels.c1.checkpointInterval", 3_600_000)
                .set("channels.c1.minimumRequiredSpace", 0);
    }

    @Test
    void aDamagedRecordCostsOnlyItsOwnEvent() throws Exception {
        int port = Ports.free();
        Path fill = channel(AgentConfig.of("a1").components("nc", "c1", "").netcatSource("nc", port, "c1"))
                .writeTo(dir.resolve("fill"));
        try (ChildProcess agent = SluiceCli.startAgent("fill", dir, fill, "a1")) {
            Ports.awaitListening(agent, port, Duration.ofSeconds(60));
            try (NetcatClient nc = new NetcatClient(port, Duration.ofSeconds(10))) {
                for (int i = 0; i < LINES; i++) {
                    assertThat(nc.send("line-" + i)).isEqualTo("OK");
                }
            }
            agent.kill();
        }

        Path segment = onlySegment(dir.resolve("data"));
        List<long[]> records = records(segment);
        List<Long> puts = new ArrayList<>();
        long damagedEnd = -1;
        for (int i = 0; i < records.size(); i++) {
            if (records.get(i)[1] == LogFormat.PUT) {
                if (puts.size() == DAMAGED) {
                    damagedEnd = records.get(i + 1)[0]; // records are back to back
                }
                puts.add(records.get(i)[0]);
            }
        }
        assertThat(puts).hasSize(LINES);
        flip(segment, damagedEnd - 1); // the last byte of line-500's body
        long dataEnd = dataEnd(segment); // recovery may drop the preallocated zeros after it, nothing before

        Path out = dir.resolve("out");
        int metricsPort = Ports.free();
        Path drain = channel(AgentConfig.of("a1").components("nc", "c1", "k1").netcatSource("nc", port, "c1"))
                .fileRollSink("k1", "c1", out).writeTo(dir.resolve("drain"));
        try (ChildProcess agent = SluiceCli.startAgent("drain", dir, drain, "a1",
                "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + metricsPort)) {
            Ports.awaitListening(agent, metricsPort, Duration.ofSeconds(60));
            assertThat(Files.size(segment)).as("the damaged segment is not cut").isGreaterThanOrEqualTo(dataEnd);
            await("the intact events delivered").atMost(Duration.ofSeconds(60))
                    .until(() -> RolledFiles.lines(out).size() >= LINES - 1);
            Set<String> expected = new HashSet<>();
            for (int i = 0; i < LINES; i++) {
                if (i != DAMAGED) {
                    expected.add("line-" + i);
                }
            }
            assertThat(new HashSet<>(RolledFiles.lines(out))).isEqualTo(expected);
            assertThat(MetricsJson.counter(metricsPort, "CHANNEL.c1", "EventTakeCorruptCount")).isEqualTo(1);
            assertThat(agent.output()).contains("damaged record").contains("offset " + puts.get(DAMAGED))
                    .containsPattern("stored 0x[0-9A-F]{8}, computed 0x[0-9A-F]{8}");
        }
    }

    private static Path onlySegment(Path data) throws IOException {
        try (Stream<Path> s = Files.list(data)) {
            List<Path> segs = s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().toList();
            Path best = null;
            for (Path p : segs) {
                if (best == null || Files.size(p) > Files.size(best)) {
                    best = p;
                }
            }
            return best;
        }
    }

    /** Where the records of the segment end (preallocated zeros may follow). */
    private static long dataEnd(Path segment) throws IOException {
        try (SegmentScanner s = new SegmentScanner(segment, false)) {
            assertThat(s.readHeader()).as(s.problem()).isTrue();
            while (s.next() == SegmentScanner.Status.RECORD) {
                // skip to the end
            }
            return s.offset();
        }
    }

    /** {offset, type} of every record of the segment, in order. */
    private static List<long[]> records(Path segment) throws IOException {
        List<long[]> out = new ArrayList<>();
        try (SegmentScanner s = new SegmentScanner(segment, true)) {
            assertThat(s.readHeader()).as(s.problem()).isTrue();
            while (s.next() == SegmentScanner.Status.RECORD) {
                out.add(new long[] {s.offset(), s.type()});
            }
        }
        return out;
    }

    private static void flip(Path file, long offset) throws IOException {
        try (FileChannel f = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            f.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 0x40));
            b.rewind();
            f.write(b, offset);
            f.force(true);
        }
    }
}
