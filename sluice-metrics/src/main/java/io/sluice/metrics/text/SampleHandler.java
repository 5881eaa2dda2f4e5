package io.sluice.metrics.text;

import io.sluice.metrics.store.ValueType;

/** Receives the samples an {@link ExpositionParser} reads, in order. */
@FunctionalInterface
public interface SampleHandler {
    /**
     * One sample.
     *
     * @param labels label names and values alternating, in the order written (without the name)
     * @param value the numeric value (1/0 for booleans, NaN for strings)
     * @param text the string value, or {@code null} for the other types
     * @param timeMillis the sample's timestamp, or {@link Long#MIN_VALUE} when it had none
     */
    void sample(String name, String[] labels, ValueType type, double value, String text, long timeMillis);
}
