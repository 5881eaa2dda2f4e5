package io.sluice.metrics.store;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** Series' rings are cut from few large shared arrays, never overlapping, never beyond what maxSeries needs. */
class SlabsTest {
    private static final List<RingSpec> DEFAULT = RingSpec.parseList(RingSpec.DEFAULT);

    @Test
    void aLargeStoreKeepsItsRingsInSixteenMibArraysThatDoNotOverlap() {
        Slabs slabs = new Slabs(DEFAULT, 10_000_000);
        assertThat(slabs.unit()).isEqualTo(16 * 4 + 276 * 12);
        Map<byte[], Integer> arrays = new IdentityHashMap<>();
        int n = 30_000;
        int previous = -1;
        byte[] last = null;
        for (int i = 0; i < n; i++) {
            int at = slabs.take();
            byte[] slab = slabs.slab();
            if (slab == last) {
                assertThat(at).as("runs follow each other").isEqualTo(previous + slabs.unit());
            } else {
                assertThat(at).isZero();
            }
            assertThat(at + slabs.unit()).isLessThanOrEqualTo(slab.length);
            for (int r = 0; r < slabs.rings(); r++) {
                assertThat(CompactRing.head(slab, at + slabs.start(r))).as("an empty ring").isEqualTo(Long.MIN_VALUE);
            }
            arrays.merge(slab, 1, Integer::sum);
            previous = at;
            last = slab;
        }
        // doubling from 16 series to 256 KiB: a few small arrays, then arrays of 16 MiB (whole runs) only
        assertThat(arrays.size()).isLessThanOrEqualTo(12);
        assertThat(last.length).isEqualTo(Slabs.MAX_SLAB / slabs.unit() * slabs.unit());
        long big = arrays.keySet().stream().filter(a -> a.length > Slabs.MAX_SLAB / 2).count();
        long inBig = arrays.entrySet().stream().filter(e -> e.getKey().length > Slabs.MAX_SLAB / 2)
                .mapToLong(Map.Entry::getValue).sum();
        assertThat(big).isGreaterThanOrEqualTo(5);
        assertThat(inBig).as("most series live in the large arrays").isGreaterThan(n * 9 / 10);
    }

    @Test
    void noArrayIsCutLargerThanTheSeriesTheStoreMayStillCreate() {
        Slabs slabs = new Slabs(DEFAULT, 1_000);
        Map<byte[], Integer> arrays = new IdentityHashMap<>();
        for (int i = 0; i < 1_000; i++) {
            slabs.take();
            arrays.merge(slabs.slab(), 1, Integer::sum);
        }
        long bytes = arrays.keySet().stream().mapToLong(a -> a.length).sum();
        assertThat(bytes).isEqualTo(1_000L * slabs.unit());
    }

    @Test
    void seriesSharingAnArrayKeepTheirOwnBuckets() {
        MetricsStore store = new MetricsStore(RingSpec.parseList("4x1m,2x5m"), 100);
        long now = 10 * 60_000L;
        for (int i = 0; i < 40; i++) {
            for (int m = 0; m < 4; m++) {
                store.add(SeriesKey.of("s", new String[] {"i", "" + i}), ValueType.DOUBLE, now - m * 60_000L, i * 10 + m);
            }
        }
        for (int i = 0; i < 40; i++) {
            List<Bucket> fine = store.read(SeriesKey.of("s", new String[] {"i", "" + i}), 0, 0, now, now + 60_000);
            assertThat(fine).hasSize(4);
            assertThat(fine.get(3).count()).isEqualTo(1);
            assertThat(fine.get(3).last()).isCloseTo(i * 10, within(0.01));
        }
    }
}
