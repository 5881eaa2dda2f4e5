package io.sluice.metrics.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SnapshotFileTest {
    private static final List<RingSpec> SPECS = RingSpec.parseList(RingSpec.DEFAULT);
    @TempDir
    Path dir;

    private static MetricsStore filled(int series) {
        MetricsStore store = new MetricsStore(SPECS, 1000);
        for (int s = 0; s < series; s++) {
            SeriesKey k = SeriesKey.of("disk_free", Map.of("host", "h" + s, "volume", "/var"));
            for (int i = 0; i < 300; i++) {
                store.add(k, ValueType.INTEGER, i * 30_000L, 1000 + s * 10 + i);
            }
        }
        store.addString(SeriesKey.of("version", Map.of("host", "h0")), 0, "1.2.3");
        return store;
    }

    @Test
    void roundTripsEveryRingAndTheOpenBucket() throws IOException {
        MetricsStore store = filled(20);
        Path file = dir.resolve("metrics.snapshot");
        assertThat(SnapshotFile.write(store, file)).isEqualTo(21);
        assertThat(Files.exists(dir.resolve("metrics.snapshot.tmp"))).isFalse();
        MetricsStore back = new MetricsStore(SPECS, 1000);
        assertThat(SnapshotFile.restore(back, file)).isEqualTo(21);
        SeriesKey k = SeriesKey.of("disk_free", Map.of("host", "h7", "volume", "/var"));
        long now = 300 * 30_000L;
        for (int ring = 0; ring < SPECS.size(); ring++) {
            assertThat(back.read(k, ring, 0, now, now)).isEqualTo(store.read(k, ring, 0, now, now));
        }
        assertThat(back.lastString(SeriesKey.of("version", Map.of("host", "h0")))).isEqualTo("1.2.3");
    }

    @Test
    void missingFileIsNotAnError() throws IOException {
        assertThat(SnapshotFile.restore(new MetricsStore(SPECS, 10), dir.resolve("none"))).isEqualTo(-1);
    }

    @Test
    void aFlippedByteIsReportedWithTheRecordAndBothChecksums() throws IOException {
        Path file = dir.resolve("metrics.snapshot");
        SnapshotFile.write(filled(5), file);
        byte[] b = Files.readAllBytes(file);
        b[b.length - 400] ^= 0x40;
        Files.write(file, b);
        MetricsStore back = new MetricsStore(SPECS, 1000);
        assertThatThrownBy(() -> SnapshotFile.restore(back, file))
                .isInstanceOf(SnapshotFile.DamagedSnapshotException.class)
                .hasMessageContaining("fails its checksum").hasMessageContaining("CRC32C stored")
                .hasMessageContaining("series before it were restored");
        assertThat(back.seriesCount()).isBetween(1, 5);
    }

    @Test
    void aTruncatedFileIsReported() throws IOException {
        Path file = dir.resolve("metrics.snapshot");
        SnapshotFile.write(filled(5), file);
        byte[] b = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(b, b.length / 2));
        assertThatThrownBy(() -> SnapshotFile.restore(new MetricsStore(SPECS, 1000), file))
                .hasMessageContaining("truncated");
    }

    @Test
    void otherRingsAreRefusedWithTheFix() throws IOException {
        Path file = dir.resolve("metrics.snapshot");
        SnapshotFile.write(filled(1), file);
        assertThatThrownBy(() -> SnapshotFile.restore(new MetricsStore(RingSpec.parseList("10x1m"), 10), file))
                .hasMessageContaining("set rings back");
    }
}
