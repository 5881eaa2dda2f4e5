/**
 * The embedded multi-resolution metrics store: series keyed by name and labels, each with rings of
 * buckets (count, sum, min, max, first, last) in a compact layout, and atomic snapshots.
 * {@link io.sluice.metrics.store.MetricsStore} is thread-safe; each series guards itself.
 */
package io.sluice.metrics.store;
