package io.sluice.metrics.store;

/**
 * One bucket as read back: the aggregate of {@code count} samples whose time fell in
 * {@code [start, start + resolution)}. For a string series only {@code count} is meaningful.
 */
public record Bucket(long start, long count, double sum, double min, double max, double first, double last) {
    public double mean() {
        return count == 0 ? Double.NaN : sum / count;
    }
}
