/**
 * The {@code metrics} sink and the query API over its store. The sink is driven by one runner
 * thread; its store and the query server are thread-safe.
 */
package io.sluice.metrics.sink;
