/**
 * The {@code memory} channel: a bounded in-memory queue with Apache Flume's keys and defaults.
 * {@link io.sluice.core.channel.memory.MemoryChannel} is thread-safe (one lock guards the queue and
 * its accounting); each {@link io.sluice.core.channel.memory.MemoryTransaction} belongs to the
 * thread that opened it.
 */
package io.sluice.core.channel.memory;
