package io.sluice.metrics.store;

import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CompactRingTest {
    private static final List<RingSpec> SPECS = RingSpec.parseList(RingSpec.DEFAULT);
    private static final long MIN = 60_000L;

    @Test
    void float24RoundsInTheAskedDirection() {
        Random r = new Random(7);
        for (int i = 0; i < 100_000; i++) {
            double v = (r.nextDouble() - 0.5) * Math.pow(10, r.nextInt(20) - 5);
            assertThat((double) Float.intBitsToFloat(CompactRing.float24(v, false) << 8)).isLessThanOrEqualTo(v);
            assertThat((double) Float.intBitsToFloat(CompactRing.float24(v, true) << 8)).isGreaterThanOrEqualTo(v);
        }
    }

    @Test
    void bucketsAgreeWithAnExactComputationWithinTheStatedPrecision() {
        MetricsStore store = new MetricsStore(SPECS, 10);
        SeriesKey key = SeriesKey.of("temperature", Map.of("rack", "r1"));
        Random r = new Random(42);
        long t0 = 1_700_000_000_000L / 3_600_000L * 3_600_000L;
        int samples = 3 * 24 * 60 * 4;
        double[] values = new double[samples];
        long[] times = new long[samples];
        for (int i = 0; i < samples; i++) {
            times[i] = t0 + i * 15_000L;
            values[i] = 20 + 10 * Math.sin(i / 500.0) + r.nextGaussian();
            store.add(key, ValueType.DOUBLE, times[i], values[i]);
        }
        long now = times[samples - 1] + MIN;
        for (int ring = 0; ring < SPECS.size(); ring++) {
            RingSpec spec = SPECS.get(ring);
            List<Bucket> got = store.read(key, ring, now - spec.spanMillis(), now, now);
            assertThat(got).isNotEmpty();
            for (Bucket b : got) {
                long n = 0;
                double sum = 0;
                double min = Double.POSITIVE_INFINITY;
                double max = Double.NEGATIVE_INFINITY;
                double first = Double.NaN;
                double last = Double.NaN;
                for (int i = 0; i < samples; i++) {
                    if (times[i] >= b.start() && times[i] < b.start() + spec.resolutionMillis()) {
                        n++;
                        sum += values[i];
                        min = Math.min(min, values[i]);
                        max = Math.max(max, values[i]);
                        if (Double.isNaN(first)) {
                            first = values[i];
                        }
                        last = values[i];
                    }
                }
                double span = max - min;
                // min and max keep 16 significant bits of their offset from the ring's base (about 20)
                double edge = 40 * Math.pow(2, -15) + 1e-9;
                double frac = (span + 2 * edge) / 8190 * 1.01 + edge;
                assertThat(b.count()).as("count of %s in ring %d", b.start(), ring).isEqualTo(n);
                assertThat(b.min()).isCloseTo(min, within(edge)).isLessThanOrEqualTo(min);
                assertThat(b.max()).isCloseTo(max, within(edge)).isGreaterThanOrEqualTo(max);
                // a coarse bucket's first and mean pass through up to (coarse/fine) quantisations
                double folds = ring == 0 ? 1 : spec.resolutionMillis() / SPECS.get(0).resolutionMillis();
                assertThat(b.first()).isCloseTo(first, within(frac * folds));
                assertThat(b.last()).isCloseTo(last, within(frac));
                assertThat(b.mean()).isCloseTo(sum / n, within(frac * folds));
            }
        }
    }

    @Test
    void counterIncreaseOverAnHourKeepsItsPrecision() {
        MetricsStore store = new MetricsStore(SPECS, 10);
        SeriesKey key = SeriesKey.of("requests_total", Map.of());
        long t0 = 1_700_000_000_000L / 3_600_000L * 3_600_000L;
        long v = 9_000_000_000L;
        for (int i = 0; i < 120; i++) {
            store.add(key, ValueType.INTEGER, t0 + i * MIN, v);
            v += 16_667;
        }
        long now = t0 + 121 * MIN;
        List<Bucket> hours = store.read(key, 3, t0, now, now);
        assertThat(hours).hasSize(2);
        Bucket h = hours.get(1);
        double increase = h.last() - h.first();
        assertThat(increase).isCloseTo(59 * 16_667.0, within(59 * 16_667.0 * 0.001));
    }

    @Test
    void emptySlotsAreSkippedAndOldBucketsExpire() {
        MetricsStore store = new MetricsStore(RingSpec.parseList("4x1m"), 10);
        SeriesKey key = SeriesKey.of("x", Map.of());
        store.add(key, ValueType.INTEGER, 0, 1);
        store.add(key, ValueType.INTEGER, 2 * MIN, 3);
        store.add(key, ValueType.INTEGER, 5 * MIN, 6);
        List<Bucket> got = store.read(key, 0, 0, 10 * MIN, 6 * MIN);
        assertThat(got).extracting(Bucket::start).containsExactly(2 * MIN, 5 * MIN);
        assertThat(store.add(key, ValueType.INTEGER, 0, 1)).isFalse();
        assertThat(store.rejectedLateCount()).isEqualTo(1);
    }

    @Test
    void typesFollowArtimonsRules() {
        MetricsStore store = new MetricsStore(SPECS, 10);
        SeriesKey flag = SeriesKey.of("up", Map.of());
        store.add(flag, ValueType.BOOLEAN, 0, 1);
        store.add(flag, ValueType.BOOLEAN, 1000, 0);
        store.add(flag, ValueType.BOOLEAN, 2000, 1);
        store.add(flag, ValueType.BOOLEAN, 3000, 1);
        Bucket b = store.read(flag, 0, 0, 0, 0).get(0);
        assertThat(b.mean()).isEqualTo(0.75);
        assertThat(b.min()).isZero();
        SeriesKey version = SeriesKey.of("version", Map.of());
        store.addString(version, 0, "1.0");
        store.addString(version, 1000, "1.1");
        assertThat(store.lastString(version)).isEqualTo("1.1");
        assertThat(store.read(version, 0, 0, 0, 0).get(0).count()).isEqualTo(2);
        assertThat(store.add(version, ValueType.DOUBLE, 2000, 3.0)).isFalse();
        assertThat(store.rejectedTypeCount()).isEqualTo(1);
        assertThat(store.add(flag, ValueType.DOUBLE, 4000, Double.NaN)).isFalse();
        assertThat(store.rejectedValueCount()).isEqualTo(1);
    }

    @Test
    void ringForPicksTheFinestRingCoveringTheRange() {
        MetricsStore store = new MetricsStore(SPECS, 10);
        long now = 100 * 86_400_000L;
        assertThat(store.ringFor(now - 600_000, now)).isZero();
        assertThat(store.ringFor(now - 2 * 3_600_000L, now)).isEqualTo(1);
        assertThat(store.ringFor(now - 12 * 3_600_000L, now)).isEqualTo(2);
        assertThat(store.ringFor(now - 48 * 3_600_000L, now)).isEqualTo(3);
    }

    @Test
    void badRingListsAreExplained() {
        assertThatThrownBy(() -> RingSpec.parseList("60x2m,48x5m"))
                .hasMessageContaining("48x5m").hasMessageContaining("whole multiple");
        assertThatThrownBy(() -> RingSpec.parseList("60"))
                .hasMessageContaining("BUCKETSxRESOLUTION");
    }
}
