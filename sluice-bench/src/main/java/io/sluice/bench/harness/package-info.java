/**
 * Building blocks for scenarios that run agents as child JVMs: locating the Sluice and Apache
 * Flume distributions ({@link io.sluice.bench.harness.SluiceHome}), starting and stopping a child
 * JVM ({@link io.sluice.bench.harness.ChildJvm}), reading a process's counters over HTTP
 * ({@link io.sluice.bench.harness.MetricsClient}) and measuring one agent configuration on both
 * sides, alternating ({@link io.sluice.bench.harness.SideBySideAgents}). Not thread-safe: each
 * instance is used by the one harness thread.
 */
package io.sluice.bench.harness;
