/**
 * The side-by-side benchmark harness: {@link io.sluice.bench.Main} runs one named
 * {@link io.sluice.bench.Scenario}, which measures Sluice and a peer (Apache Flume 1.11, or another
 * engine) the same way and reports a {@link io.sluice.bench.Comparison}. Scenarios are listed
 * explicitly in {@code Main}. Classes here are used from the harness's main thread only and are not
 * thread-safe unless they say so; the values ({@link io.sluice.bench.BenchOptions},
 * {@link io.sluice.bench.Comparison}) are immutable.
 */
package io.sluice.bench;
