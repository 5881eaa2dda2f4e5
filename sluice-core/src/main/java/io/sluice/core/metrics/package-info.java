/**
 * Serving counters over HTTP: {@code /metrics} in Apache Flume's JSON shape and {@code /prometheus}
 * in the Prometheus text format. The renderers are stateless; {@link io.sluice.core.metrics.MetricsServer}
 * is thread-safe.
 */
package io.sluice.core.metrics;
