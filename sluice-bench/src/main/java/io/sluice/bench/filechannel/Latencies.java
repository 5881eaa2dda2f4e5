package io.sluice.bench.filechannel;

import java.util.Arrays;
import java.util.Locale;

/** Recorded durations in nanoseconds and their percentiles. Not thread-safe. */
public final class Latencies {
    private long[] values = new long[1024];
    private int n;

    void add(long nanos) {
        if (n == values.length) {
            values = Arrays.copyOf(values, n * 2);
        }
        values[n++] = nanos;
    }

    public int count() {
        return n;
    }

    /** The {@code p}-th percentile (0..100) in milliseconds. */
    public double percentileMillis(double p) {
        if (n == 0) {
            return Double.NaN;
        }
        long[] sorted = Arrays.copyOf(values, n);
        Arrays.sort(sorted);
        int i = (int) Math.min(n - 1, Math.ceil(p / 100.0 * n) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    public String summary() {
        return String.format(Locale.ROOT, "p50=%.3fms p99=%.3fms max=%.3fms n=%d", percentileMillis(50),
                percentileMillis(99), percentileMillis(100), n);
    }
}
