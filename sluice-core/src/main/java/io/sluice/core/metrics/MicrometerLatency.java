package io.sluice.core.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.TimeWindowMax;
import io.sluice.api.metrics.LatencyHistogram;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A {@link LatencyHistogram} that keeps the count, the sum and (through Micrometer's
 * {@link TimeWindowMax}) the maximum of roughly the last minute; the 50th, 99th and 99.9th
 * percentiles of roughly the last minute (three rotating windows of 20 s, 2 significant digits, in
 * HdrHistogram recorders); and cumulative counts per bucket since the start, for Prometheus'
 * {@code _bucket} series. {@link #record(long, long)} records many equal samples at the cost of one,
 * which is how a sink records the end-to-end latency of a batch whose events share a timestamp.
 * Recording is lock-free; reading copies. Thread-safe.
 *
 * <p>{@link #p99Millis()} (what every {@code /metrics} request reads) walks the windowed histogram,
 * which costs far more than the counters around it; scrapers that poll several times a second would
 * spend a core on it. So the value is computed at most once per {@link #P99_REUSE_NANOS} and the
 * same figure is answered in between: a sample recorded after a reading shows at the first reading
 * that comes at least that long after it. A histogram that had no samples at its last reading is
 * read afresh as soon as one is recorded. The value is a percentile of roughly the last minute, so a
 * second's delay does not change its meaning. {@link #snapshot()} ({@code /prometheus}) always reads
 * afresh.
 */
public final class MicrometerLatency implements LatencyHistogram {
    /** Bucket upper bounds in seconds: 50 µs to 10 minutes. */
    static final double[] BUCKET_SECONDS = {0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
        0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300, 600};
    /** The percentiles kept for {@code /metrics} and {@code /prometheus}. */
    static final double[] PERCENTILES = {0.5, 0.99, 0.999};
    /** How long a computed {@link #p99Millis()} is answered again: one second. */
    static final long P99_REUSE_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** How far back the percentiles and the maximum reach, and in how many steps they forget. */
    static final Duration WINDOW = Duration.ofMinutes(1);
    static final int WINDOW_STEPS = 3;

    private static final long[] BUCKET_NANOS = Arrays.stream(BUCKET_SECONDS).mapToLong(s -> Math.round(s * 1e9))
            .toArray();

    private final LongAdder count = new LongAdder();
    private final DoubleAdder totalNanos = new DoubleAdder();
    private final TimeWindowMax max;
    /** Samples per bucket (not cumulative): index i holds those above bucket i-1's bound, up to bucket i's. */
    private final AtomicLongArray buckets = new AtomicLongArray(BUCKET_NANOS.length);
    private final RecentPercentiles recent;
    private final Clock clock;
    private volatile P99 lastP99;

    /** A computed 99th percentile, the clock's monotonic time it was computed at and the samples it saw. */
    private record P99(double millis, long atNanos, long count) {
    }

    MicrometerLatency(String type, String name, String key) {
        this(type, name, key, Clock.SYSTEM);
    }

    /** With the clock the windows rotate on and the 99th percentile is reused by (tests pass a hand-moved one). */
    MicrometerLatency(String type, String name, String key, Clock clock) {
        this.clock = clock;
        this.max = new TimeWindowMax(clock, DistributionStatisticConfig.builder().expiry(WINDOW)
                .bufferLength(WINDOW_STEPS).build().merge(DistributionStatisticConfig.DEFAULT));
        this.recent = new RecentPercentiles(clock, WINDOW, WINDOW_STEPS);
    }

    @Override
    public void record(long nanos) {
        record(nanos, 1);
    }

    @Override
    public void record(long nanos, long samples) {
        if (nanos < 0 || samples <= 0) {
            return;
        }
        count.add(samples);
        totalNanos.add((double) nanos * samples);
        max.record(nanos, TimeUnit.NANOSECONDS);
        int b = Arrays.binarySearch(BUCKET_NANOS, nanos);
        if (b < 0) {
            b = -b - 1;
        }
        if (b < BUCKET_NANOS.length) {
            buckets.addAndGet(b, samples);
        }
        recent.record(nanos, samples);
    }

    @Override
    public double p99Millis() {
        long now = clock.monotonicTime();
        P99 last = lastP99;
        long samples = count.sum();
        if (last != null && now - last.atNanos() < P99_REUSE_NANOS && (last.count() != 0 || samples == 0)) {
            return last.millis();
        }
        double millis = recent.valuesAt(new double[] {0.99})[0] / 1e6;
        lastP99 = new P99(millis, now, samples);
        return millis;
    }

    /** Count, sum and maximum, recent percentiles, and cumulative buckets since the start, in seconds. */
    public Snapshot snapshot() {
        double[] bounds = BUCKET_SECONDS.clone();
        long[] cumulative = new long[bounds.length];
        long sum = 0;
        for (int i = 0; i < bounds.length; i++) {
            sum += buckets.get(i);
            cumulative[i] = sum;
        }
        long[] nanos = recent.valuesAt(PERCENTILES);
        double[] values = new double[nanos.length];
        for (int i = 0; i < nanos.length; i++) {
            values[i] = nanos[i] / 1e9;
        }
        return new Snapshot(count.sum(), totalNanos.sum() / 1e9, max.poll(TimeUnit.SECONDS), bounds, cumulative,
                PERCENTILES.clone(), values);
    }

    /** A copy of a latency's state; values in seconds. Immutable by convention (arrays are not shared). */
    public record Snapshot(long count, double sumSeconds, double maxSeconds, double[] bucketBounds,
            long[] cumulativeCounts, double[] percentiles, double[] percentileValues) {
    }

    /**
     * Percentiles of roughly the last {@code window}: every sample goes into each of {@code steps}
     * recorders; every {@code window / steps} the one that has recorded longest is cleared and starts
     * again, and reads take the one that has recorded longest since (between window - window/steps
     * and window). Recording is wait-free (HdrHistogram's {@link Recorder}); reads, and the clearing,
     * hold this object's lock.
     */
    static final class RecentPercentiles {
        private static final int DIGITS = 2;

        private final Clock clock;
        private final long stepNanos;
        private final Recorder[] recorders;
        /** Per recorder, what was read out of it since it was last cleared. Guarded by this. */
        private final Histogram[] read;
        /** Per recorder, the interval histogram it last handed out, to be handed back. Guarded by this. */
        private final Histogram[] spare;
        /** The recorder that has recorded longest. Guarded by this. */
        private int oldest;
        private volatile long nextStep;

        RecentPercentiles(Clock clock, Duration window, int steps) {
            this.clock = clock;
            this.stepNanos = window.toNanos() / steps;
            this.recorders = new Recorder[steps];
            this.read = new Histogram[steps];
            this.spare = new Histogram[steps];
            for (int i = 0; i < steps; i++) {
                recorders[i] = new Recorder(DIGITS);
                read[i] = new Histogram(DIGITS);
            }
            this.nextStep = clock.monotonicTime() + stepNanos;
        }

        void record(long nanos, long samples) {
            if (clock.monotonicTime() - nextStep >= 0) {
                step();
            }
            for (Recorder r : recorders) {
                r.recordValueWithCount(nanos, samples);
            }
        }

        /** The values at {@code quantiles} (0 to 1), in the recorded unit; 0 when nothing was recorded. */
        synchronized long[] valuesAt(double[] quantiles) {
            step();
            int i = oldest;
            spare[i] = recorders[i].getIntervalHistogram(spare[i]);
            read[i].add(spare[i]);
            long[] out = new long[quantiles.length];
            for (int q = 0; q < quantiles.length; q++) {
                out[q] = read[i].getTotalCount() == 0 ? 0 : read[i].getValueAtPercentile(quantiles[q] * 100);
            }
            return out;
        }

        /** Clears the longest-recording recorder once per step that has passed (all of them after a long gap). */
        private synchronized void step() {
            long behind = clock.monotonicTime() - nextStep;
            if (behind < 0) {
                return;
            }
            long steps = behind / stepNanos + 1;
            for (long c = Math.min(steps, recorders.length); c > 0; c--) {
                recorders[oldest].reset();
                read[oldest].reset();
                oldest = (oldest + 1) % recorders.length;
            }
            nextStep += steps * stepNanos;
        }
    }

    /** The factory {@link LatencyHistogram#create} finds through Java's service loader. */
    public static final class Factory implements LatencyHistogram.Factory {
        @Override
        public LatencyHistogram create(String type, String name, String key) {
            return new MicrometerLatency(type, name, key);
        }
    }
}
