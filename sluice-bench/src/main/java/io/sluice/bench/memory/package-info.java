/**
 * The {@code memory-pipeline} scenario: seq source, memory channel, null sink, on Apache Flume and
 * on Sluice. Stateless; thread-safe.
 */
package io.sluice.bench.memory;
