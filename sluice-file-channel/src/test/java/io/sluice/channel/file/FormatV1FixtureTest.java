package io.sluice.channel.file;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.channel.file.inspect.ChannelInspector;
import io.sluice.channel.file.inspect.InspectionReport;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** Files written by format version 1 (kept in test resources) stay readable by every later version. */
class FormatV1FixtureTest {
    @TempDir
    Path dir;

    @Test
    void formatVersion1FixtureIsReadWithHeadersBodiesAndOrder() throws Exception {
        copyFixture();
        FileChannel ch = TestChannels.open(FormatV1FixtureWriter.fixtureConfig(dir));
        List<Event> out = new ArrayList<>();
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.takeBatch(100, out);
            tx.commit();
        }
        List<Event> expected = new ArrayList<>();
        for (int i = 5; i < 25; i++) {
            expected.add(FormatV1FixtureWriter.fixtureEvent(i));
        }
        assertThat(out).isEqualTo(expected);
        assertThat(ch.recovery().problems).isEmpty();
        ch.stop();
    }

    @Test
    void inspectorReportsTheFixtureWithoutChangingIt() throws Exception {
        copyFixture();
        long before = totalBytesAndTimes();
        InspectionReport r = ChannelInspector.inspect(dir.resolve("checkpoint"), List.of(dir.resolve("data")), true);
        assertThat(r.formatVersion()).isEqualTo(1);
        assertThat(r.eventsQueued()).isEqualTo(20);
        assertThat(r.oldestEvent()).contains("n=5").contains("format v1 event 5");
        assertThat(r.newestEvent()).contains("n=24");
        assertThat(r.corruption()).isEmpty();
        assertThat(r.segments()).isNotEmpty().allSatisfy(s -> assertThat(s.formatVersion()).isEqualTo(1));
        assertThat(r.segments().stream().mapToLong(InspectionReport.SegmentInfo::liveEvents).sum()).isEqualTo(20);
        assertThat(r.render()).contains("events queued: 20").contains("corruption: none found");
        assertThat(totalBytesAndTimes()).isEqualTo(before);
        try (Stream<Path> s = Files.walk(dir)) {
            assertThat(s.map(p -> p.getFileName().toString())).doesNotContain("in_use.lock");
        }
    }

    private long totalBytesAndTimes() throws IOException {
        long sum = 0;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                sum = sum * 31 + Files.size(p) + Files.getLastModifiedTime(p).toMillis();
            }
        }
        return sum;
    }

    private void copyFixture() throws IOException, URISyntaxException {
        Path src = Path.of(getClass().getResource("/format-v1").toURI());
        try (Stream<Path> s = Files.walk(src)) {
            for (Path p : s.toList()) {
                Path target = dir.resolve(src.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
