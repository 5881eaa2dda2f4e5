/**
 * What the Kafka source, sink and channel share: Apache Flume's Avro event format
 * ({@link io.sluice.kafka.FlumeEventCodec}), the Kafka client properties built from the
 * {@code kafka.consumer.*} and {@code kafka.producer.*} pass-through keys
 * ({@link io.sluice.kafka.KafkaClientProperties}), and the keys Apache Flume removed, which are refused
 * ({@link io.sluice.kafka.RemovedKeys}). Every class here is stateless or immutable, so thread-safe,
 * except where its javadoc says otherwise.
 */
package io.sluice.kafka;
