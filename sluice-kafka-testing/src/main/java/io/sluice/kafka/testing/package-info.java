/**
 * A real Apache Kafka 4.3 broker for tests and benchmarks: one node in KRaft mode (broker and
 * controller in one process, no ZooKeeper) started in the calling JVM on 127.0.0.1, with helpers to
 * create topics and to read a topic back. {@link io.sluice.kafka.testing.KafkaBroker} is thread-safe;
 * stopping and starting it keeps its ports and log directories, so clients reconnect to the same
 * address and find the data they wrote before.
 */
package io.sluice.kafka.testing;
