package io.sluice.api.metrics;

import java.util.ServiceLoader;

/**
 * The distribution of one latency of one component (a channel's commit, a sink's batch). The hot
 * path calls {@link #record(long)}; {@code /metrics} reads {@link #p99Millis()} and {@code /prometheus}
 * reads the implementation's buckets.
 *
 * <p>Implementations come from the first {@link Factory} that {@link ServiceLoader} finds (Sluice's
 * core module provides one backed by Micrometer); without any, latencies are not recorded and read as
 * 0. Implementations are thread-safe and lock-free on {@link #record(long)}.
 */
public interface LatencyHistogram {
    /** Records one sample; negative values are ignored. */
    void record(long nanos);

    /**
     * Records {@code samples} samples of {@code nanos} each, as that many calls of {@link #record(long)}
     * would; implementations do it at the cost of one. Negative values and counts below 1 are ignored.
     */
    default void record(long nanos, long samples) {
        for (long i = 0; i < samples; i++) {
            record(nanos);
        }
    }

    /** The 99th percentile of the recent samples (roughly the last minute) in milliseconds, 0 when none. */
    double p99Millis();

    /** Makes the histograms of a component: {@code type} {@code CHANNEL}, {@code name} {@code c1}, {@code key}. */
    interface Factory {
        LatencyHistogram create(String type, String name, String key);
    }

    /** A histogram made by the installed {@link Factory}, or one that records nothing when there is none. */
    static LatencyHistogram create(String type, String name, String key) {
        return LatencyFactoryHolder.FACTORY.create(type, name, key);
    }
}
