/**
 * The Kafka source ({@code org.apache.flume.source.kafka.KafkaSource}, also {@code kafka}): a consumer
 * in a consumer group that puts batches of records into its channels and commits their offsets only
 * after the put committed, or leaves the commit to an exactly-once Kafka sink downstream. The source
 * is driven by one runner thread; the state it shares with that sink is published through volatile
 * fields and concurrent maps.
 */
package io.sluice.kafka.source;
