package io.sluice.core.metrics;

import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.cumulative.CumulativeTimer;
import io.micrometer.core.instrument.distribution.CountAtBucket;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.core.instrument.distribution.HistogramSnapshot;
import io.micrometer.core.instrument.distribution.TimeWindowFixedBoundaryHistogram;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.micrometer.core.instrument.distribution.pause.NoPauseDetector;
import io.sluice.api.metrics.LatencyHistogram;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@link LatencyHistogram} on Micrometer: a {@link CumulativeTimer} keeps the count, the sum, the
 * maximum and the 50th, 99th and 99.9th percentiles of roughly the last minute (three rotating
 * windows of 20 s, 2 significant digits); a fixed-boundary histogram keeps cumulative counts per
 * bucket since the start, for Prometheus' {@code _bucket} series. Both are lock-free on
 * {@link #record(long)}; {@link #snapshot()} copies. Thread-safe.
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

    private final CumulativeTimer timer;
    private final TimeWindowFixedBoundaryHistogram buckets;
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
        Meter.Id id = new Meter.Id(key, Tags.of("kind", type, "component", name), "seconds", null,
                Meter.Type.TIMER);
        DistributionStatisticConfig windowed = DistributionStatisticConfig.builder()
                .percentiles(PERCENTILES)
                .percentilePrecision(2)
                .expiry(Duration.ofMinutes(1))
                .bufferLength(3)
                .build()
                .merge(DistributionStatisticConfig.DEFAULT);
        this.timer = new CumulativeTimer(id, clock, windowed, NoPauseDetector.INSTANCE,
                TimeUnit.SECONDS, false);
        double[] slos = new double[BUCKET_SECONDS.length];
        for (int i = 0; i < slos.length; i++) {
            slos[i] = BUCKET_SECONDS[i] * 1e9;
        }
        DistributionStatisticConfig cumulative = DistributionStatisticConfig.builder()
                .serviceLevelObjectives(slos)
                .expiry(Duration.ofDays(365 * 100L))
                .bufferLength(1)
                .build()
                .merge(DistributionStatisticConfig.DEFAULT);
        this.buckets = new TimeWindowFixedBoundaryHistogram(clock, cumulative, true);
    }

    @Override
    public void record(long nanos) {
        if (nanos < 0) {
            return;
        }
        timer.record(nanos, TimeUnit.NANOSECONDS);
        buckets.recordLong(nanos);
    }

    @Override
    public double p99Millis() {
        long now = clock.monotonicTime();
        P99 last = lastP99;
        if (last != null && now - last.atNanos() < P99_REUSE_NANOS && (last.count() != 0 || timer.count() == 0)) {
            return last.millis();
        }
        HistogramSnapshot t = timer.takeSnapshot();
        double millis = 0;
        for (ValueAtPercentile v : t.percentileValues()) {
            if (v.percentile() == 0.99) {
                millis = v.value(TimeUnit.MILLISECONDS);
                break;
            }
        }
        lastP99 = new P99(millis, now, t.count());
        return millis;
    }

    /** Count, sum and maximum since the start, recent percentiles, and cumulative buckets, in seconds. */
    public Snapshot snapshot() {
        HistogramSnapshot t = timer.takeSnapshot();
        HistogramSnapshot b = buckets.takeSnapshot(t.count(), t.total(), t.max());
        CountAtBucket[] counts = b.histogramCounts();
        double[] bounds = new double[counts.length];
        long[] cumulative = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            bounds[i] = counts[i].bucket(TimeUnit.SECONDS);
            cumulative[i] = (long) counts[i].count();
        }
        ValueAtPercentile[] pv = t.percentileValues();
        double[] percentiles = new double[pv.length];
        double[] values = new double[pv.length];
        for (int i = 0; i < pv.length; i++) {
            percentiles[i] = pv[i].percentile();
            values[i] = pv[i].value(TimeUnit.SECONDS);
        }
        return new Snapshot(t.count(), t.total(TimeUnit.SECONDS), t.max(TimeUnit.SECONDS), bounds, cumulative,
                percentiles, values);
    }

    /** A copy of a latency's state; values in seconds. Immutable by convention (arrays are not shared). */
    public record Snapshot(long count, double sumSeconds, double maxSeconds, double[] bucketBounds,
            long[] cumulativeCounts, double[] percentiles, double[] percentileValues) {
    }

    /** The factory {@link LatencyHistogram#create} finds through Java's service loader. */
    public static final class Factory implements LatencyHistogram.Factory {
        @Override
        public LatencyHistogram create(String type, String name, String key) {
            return new MicrometerLatency(type, name, key);
        }
    }
}
