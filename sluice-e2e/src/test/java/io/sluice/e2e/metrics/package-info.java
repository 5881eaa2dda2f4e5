/** The metrics pipeline of the distribution: prometheus source, metrics sink, query API, snapshots. */
package io.sluice.e2e.metrics;
