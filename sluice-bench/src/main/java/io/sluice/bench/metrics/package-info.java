/** The {@code metrics} benchmark: Artimon's scrape burst into the metrics store. Single-threaded driver. */
package io.sluice.bench.metrics;
