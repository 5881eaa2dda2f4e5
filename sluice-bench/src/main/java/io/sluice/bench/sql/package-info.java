/**
 * rtsql benchmarks: {@code sql-tumbling} (a 1-second tumbling GROUP BY over 1000 keys with COUNT,
 * SUM, AVG, MIN and MAX) and {@code sql-join} (an equi-join of two streams within 100 ms), each run
 * in-process on one thread side by side with Esper 9.0.0 on the same pre-generated 100-byte events,
 * alternating the engines, several runs each, reporting medians.
 *
 * <p>Esper is GPL-licensed: it is a dependency of the bench module only, never of the distribution.
 * Not thread-safe: everything runs on the harness thread.
 */
package io.sluice.bench.sql;
