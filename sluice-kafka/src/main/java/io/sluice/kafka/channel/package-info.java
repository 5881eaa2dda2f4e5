/**
 * The Kafka channel ({@code org.apache.flume.channel.kafka.KafkaChannel}, also {@code kafka}): a
 * topic used as the buffer between sources and sinks. A put transaction produces its events on
 * commit and commits once Kafka acknowledged them; a take transaction reads through a consumer of
 * the taking thread and commits the offsets on commit. The channel is thread-safe; each transaction
 * is owned by one thread, and each taking thread has a consumer of its own.
 */
package io.sluice.kafka.channel;
