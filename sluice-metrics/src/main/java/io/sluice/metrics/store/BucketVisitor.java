package io.sluice.metrics.store;

/**
 * Receives the buckets of one series as {@link MetricsStore#visit} reads them, oldest first, as
 * primitives: a query reduces millions of buckets without a {@link Bucket} object for each. For a
 * string series only {@code count} is meaningful.
 */
@FunctionalInterface
public interface BucketVisitor {
    void bucket(long start, long count, double sum, double min, double max, double first, double last);
}
