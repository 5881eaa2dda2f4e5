package io.sluice.core.source.taildir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PositionMarkerTest {
    private static PositionFile.Entry entry(long inode, long pos, Fingerprint fp) {
        return new PositionFile.Entry(inode, pos, Path.of("/var/log/app-" + inode + ".log"), fp);
    }

    @Test
    void roundTripsEntriesWithAndWithoutFingerprints() {
        List<PositionFile.Entry> entries = List.of(entry(1, 100, new Fingerprint(256, 0xCAFEBABEL)), entry(2, 0, null));
        assertThat(PositionMarker.decode(PositionMarker.encode(entries))).isEqualTo(entries);
        assertThat(PositionMarker.decode(PositionMarker.encode(List.of()))).isEmpty();
    }

    @Test
    void decodeNamesWhatIsWrong() {
        byte[] ok = PositionMarker.encode(List.of(entry(1, 100, null)));
        assertThatThrownBy(() -> PositionMarker.decode(Arrays.copyOf(ok, ok.length - 3)))
                .hasMessageContaining("cut short");
        byte[] v9 = ok.clone();
        v9[3] = 9;
        assertThatThrownBy(() -> PositionMarker.decode(v9)).hasMessageContaining("version 9");
    }

    @Test
    void theMarkerOnlyMovesFilesThePositionFileKnowsFurtherAlong() {
        Fingerprint fp = new Fingerprint(256, 7);
        List<PositionFile.Entry> file = List.of(entry(1, 100, fp), entry(2, 900, fp), entry(3, 5, null));
        List<PositionFile.Entry> marker = List.of(entry(1, 200, fp), entry(2, 800, fp), entry(4, 50, null));
        assertThat(PositionMarker.newer(file, marker)).containsExactly(entry(1, 200, fp), entry(2, 900, fp),
                entry(3, 5, null));
    }

    @Test
    void aMarkerAboutOtherContentOfTheSameInodeIsIgnored() {
        // the inode was reused (or the file truncated and written again) after the marker's batch
        List<PositionFile.Entry> file = List.of(entry(1, 100, new Fingerprint(256, 1)));
        List<PositionFile.Entry> marker = List.of(entry(1, 5000, new Fingerprint(256, 2)));
        assertThat(PositionMarker.newer(file, marker)).isEqualTo(file);
    }

    @Test
    void aMarkerWithAnotherFingerprintLengthIsIgnored() {
        // truncated to nothing (no fingerprint) or to a few bytes, then the agent died before the
        // next batch: the marker still describes the old content
        assertThat(PositionMarker.newer(List.of(entry(1, 0, null)), List.of(entry(1, 5000, new Fingerprint(256, 2)))))
                .containsExactly(entry(1, 0, null));
        List<PositionFile.Entry> file = List.of(entry(1, 10, new Fingerprint(10, 1)));
        assertThat(PositionMarker.newer(file, List.of(entry(1, 5000, new Fingerprint(256, 2))))).isEqualTo(file);
    }
}
