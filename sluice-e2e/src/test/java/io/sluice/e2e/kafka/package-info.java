/**
 * End-to-end tests of the Kafka components with real agent processes against one real Kafka broker
 * (KRaft) started in the test process per class: {@code kill -9} during a copy from topic to topic,
 * exactly-once and at-least-once, and interoperability with real Apache Flume 1.11 agents.
 */
package io.sluice.e2e.kafka;
