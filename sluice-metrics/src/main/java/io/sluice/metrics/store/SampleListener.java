package io.sluice.metrics.store;

/**
 * Hears the samples a {@link MetricsStore} stores, as they are stored (see
 * {@link MetricsStore#subscribe}). Called on the store's writer thread: an implementation must be
 * thread-safe and must never block.
 */
@FunctionalInterface
public interface SampleListener {
    /**
     * One stored sample: {@code value} for numeric types (a boolean as 1 or 0), {@code text} (and a
     * value of 0) for a string sample.
     */
    void stored(SeriesKey key, ValueType type, long timeMillis, double value, String text);
}
