package io.sluice.channel.file.inspect;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.channel.file.FileChannel;
import io.sluice.channel.file.FileChannelConfig;
import io.sluice.channel.file.log.LogFormat;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

// java.nio's FileChannel shares its simple name with Sluice's file channel.
@SuppressWarnings("checkstyle:InlineFullyQualifiedName")
class ChannelInspectorTest {
    @TempDir
    Path dir;

    @Test
    void verifyFindsAFlippedByteThatAPlainInspectionDoesNotReadAndChangesNothing() throws Exception {
        FileChannelConfig cfg = FileChannelConfig.of(dir.resolve("cp"), List.of(dir.resolve("d")));
        FileChannel ch = new FileChannel("c1", "[a1.channels.c1]", cfg, new ChannelCounter("c1"), Clock.systemUTC());
        ch.start();
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            for (int i = 0; i < 50; i++) {
                tx.put(Event.ofString("event " + i));
            }
            tx.commit();
        }
        ch.stop();
        Path seg;
        try (Stream<Path> s = Files.list(dir.resolve("d"))) {
            seg = s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted()
                    .reduce((a, b) -> b).orElseThrow();
        }
        // each transaction is a PUT (32 bytes) and a COMMIT (33 bytes): damage the PUT of the sixth
        // event, which the checkpoint still lists
        long offset = 28 + 5 * 65 + 11;
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(seg, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.allocate(1);
            f.read(b, offset);
            b.put(0, (byte) (b.get(0) ^ 1));
            b.position(0);
            f.write(b, offset);
        }
        byte[] before = Files.readAllBytes(seg);
        InspectionReport plain = ChannelInspector.inspect(dir.resolve("cp"), List.of(dir.resolve("d")), false);
        assertThat(plain.eventsQueued()).isEqualTo(50);
        InspectionReport verified = ChannelInspector.inspect(dir.resolve("cp"), List.of(dir.resolve("d")), true);
        assertThat(verified.corruption()).anySatisfy(c -> assertThat(c).contains("checksum mismatch"));
        assertThat(verified.render()).contains("corruption: ");
        assertThat(Arrays.equals(Files.readAllBytes(seg), before)).isTrue();
    }

    @Test
    void verifyChecksEveryRecordEvenOnesNoLiveEventPointsTo() throws Exception {
        FileChannelConfig cfg = FileChannelConfig.of(dir.resolve("cp"), List.of(dir.resolve("d")));
        FileChannel ch = new FileChannel("c1", "[a1.channels.c1]", cfg, new ChannelCounter("c1"), Clock.systemUTC());
        ch.start();
        for (int t = 0; t < 3; t++) {
            try (Transaction tx = ch.getTransaction()) {
                tx.begin();
                tx.put(Event.ofString("e" + t));
                tx.commit();
            }
        }
        ch.stop();
        Path seg;
        try (Stream<Path> s = Files.list(dir.resolve("d"))) {
            seg = s.filter(p -> p.getFileName().toString().startsWith("segment-")).sorted().findFirst().orElseThrow();
        }
        // the first transaction: PUT (8+9+4+4+2 = 27 bytes) at 28, then its COMMIT record; damage the COMMIT
        long commit = 28 + 27;
        try (java.nio.channels.FileChannel f = java.nio.channels.FileChannel.open(seg, StandardOpenOption.READ,
                StandardOpenOption.WRITE)) {
            f.write(ByteBuffer.wrap(new byte[] {0x7F}), commit + 20);
        }
        InspectionReport plain = ChannelInspector.inspect(dir.resolve("cp"), List.of(dir.resolve("d")), false);
        assertThat(plain.corruption()).isEmpty();
        InspectionReport verified = ChannelInspector.inspect(dir.resolve("cp"), List.of(dir.resolve("d")), true);
        assertThat(verified.corruption()).singleElement().asString().contains(seg.toString())
                .contains("offset " + commit).contains("checksum mismatch");
    }

    @Test
    void emptyDirectoriesReportAnEmptyChannel() throws IOException {
        Files.createDirectories(dir.resolve("cp"));
        Files.createDirectories(dir.resolve("d"));
        InspectionReport r = ChannelInspector.inspect(dir.resolve("cp"), List.of(dir.resolve("d")), true);
        assertThat(r.eventsQueued()).isZero();
        assertThat(r.oldestEvent()).isNull();
        assertThat(r.corruption()).isEmpty();
        assertThat(r.checkpoint()).contains("no checkpoint");
    }

    @Test
    void anEmptySegmentIsNotCorruption() throws Exception {
        FileChannelConfig cfg = FileChannelConfig.of(dir.resolve("cp"), List.of(dir.resolve("d")));
        FileChannel ch = new FileChannel("c1", "[a1.channels.c1]", cfg, new ChannelCounter("c1"), Clock.systemUTC());
        ch.start();
        try (Transaction tx = ch.getTransaction()) {
            tx.begin();
            tx.put(Event.ofString("kept"));
            tx.commit();
        }
        ch.stop();
        // What an agent leaves when it dies right after creating a segment: the file, nothing in it.
        Files.createFile(dir.resolve("d").resolve(LogFormat.segmentFileName(900)));
        Files.write(dir.resolve("d").resolve(LogFormat.segmentFileName(901)), new byte[10]);
        InspectionReport r = ChannelInspector.inspect(dir.resolve("cp"), List.of(dir.resolve("d")), true);
        assertThat(r.eventsQueued()).isEqualTo(1);
        assertThat(r.corruption()).isEmpty();
    }
}
