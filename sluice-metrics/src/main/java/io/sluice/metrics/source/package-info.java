/**
 * The scrape sources: {@code prometheus} (HTTP endpoints) and {@code metricsdir} (exposition files
 * in a directory). Each runs its own scheduler and is thread-safe.
 */
package io.sluice.metrics.source;
