/**
 * rtsql's {@code FROM KAFKA TOPIC 't' PROPERTIES (...)} streams: {@link io.sluice.sql.kafka.KafkaStreamProvider}
 * (found through {@link java.util.ServiceLoader}) checks a stream's properties when it is declared
 * and runs one {@link io.sluice.sql.kafka.KafkaStreamReader}, a member of the stream's consumer
 * group, while a flow reads the stream. The reader hands each record to the engine with its
 * partition, and commits per partition only offsets below which every window has been emitted
 * ({@link io.sluice.sql.kafka.PartitionLedger}). Thread-safe: a provider opens many streams at once;
 * each reader's consumer is used by its own thread only.
 */
package io.sluice.sql.kafka;
