package io.sluice.core.source.spooldir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SpoolMarkerTest {
    private static final PositionFile.Position AT_100 = position("/spool/a.log", 100, 0, 5000, 77);
    private static final PositionFile.Position AT_200 = position("/spool/a.log", 200, 0, 5000, 77);

    private static PositionFile.Position position(String file, long offset, long skip, long size, long modified) {
        return new PositionFile.Position(Path.of(file), new SpoolDeserializer.Mark(offset, skip), size, modified);
    }

    @Test
    void encodesAndDecodesAPosition() {
        PositionFile.Position p = position("/spool/é.avro", 4096, 3, 123_456, 1_700_000_000_123L);
        assertThat(SpoolMarker.decode(SpoolMarker.encode(p))).isEqualTo(p);
    }

    @Test
    void refusesAnotherVersionAndCutMarkers() {
        byte[] m = SpoolMarker.encode(AT_100);
        m[3] = 9;
        assertThatThrownBy(() -> SpoolMarker.decode(m)).hasMessageContaining("version 9");
        byte[] cut = Arrays.copyOf(SpoolMarker.encode(AT_100), 20);
        assertThatThrownBy(() -> SpoolMarker.decode(cut)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cut short");
    }

    @Test
    void markerAheadOfThePositionFileOnTheSameFileWins() {
        assertThat(SpoolMarker.newer(Optional.of(AT_100), Optional.of(AT_200), p -> true)).contains(AT_200);
        assertThat(SpoolMarker.newer(Optional.of(AT_200), Optional.of(AT_100), p -> true)).contains(AT_200);
        PositionFile.Position moreRecords = position("/spool/a.log", 100, 4, 5000, 77);
        assertThat(SpoolMarker.newer(Optional.of(AT_100), Optional.of(moreRecords), p -> true)).contains(moreRecords);
    }

    @Test
    void markerOfAnotherPickupOrAnotherFileLeavesThePositionFile() {
        PositionFile.Position otherPickup = position("/spool/a.log", 300, 0, 6000, 78);
        assertThat(SpoolMarker.newer(Optional.of(AT_100), Optional.of(otherPickup), p -> true)).contains(AT_100);
        PositionFile.Position otherFile = position("/spool/b.log", 300, 0, 5000, 77);
        assertThat(SpoolMarker.newer(Optional.of(AT_100), Optional.of(otherFile), p -> true)).contains(AT_100);
    }

    @Test
    void markerAloneCountsOnlyWhileItsFileIsStillToRead() {
        assertThat(SpoolMarker.newer(Optional.empty(), Optional.of(AT_200), p -> true)).contains(AT_200);
        assertThat(SpoolMarker.newer(Optional.empty(), Optional.of(AT_200), p -> false)).isEmpty();
        assertThat(SpoolMarker.newer(Optional.of(AT_100), Optional.empty(), p -> true)).contains(AT_100);
    }
}
