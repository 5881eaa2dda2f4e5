/**
 * The Kafka sink ({@code org.apache.flume.sink.kafka.KafkaSink}, also {@code kafka}): takes a batch
 * from its channel, produces it and commits the take only once every record is acknowledged; with
 * {@code kafka.exactlyOnce = true} it produces inside a Kafka transaction that also commits the
 * offsets of the Kafka source upstream. The sink is driven by one runner thread.
 */
package io.sluice.kafka.sink;
