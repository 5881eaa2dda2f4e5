/**
 * The {@code kafka} scenario: Apache Flume 1.11's and Sluice's Kafka sink, source and channel side by
 * side against one real broker started in the benchmark's JVM, plus the rate of Sluice's exactly-once
 * sink. Used by the benchmark's one thread.
 */
package io.sluice.bench.kafka;
