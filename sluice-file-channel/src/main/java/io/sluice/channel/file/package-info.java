/**
 * The durable file channel ({@code type = file}): configuration, the channel and its transactions.
 * {@link io.sluice.channel.file.FileChannel} is thread-safe (each thread runs its own
 * transaction); a transaction is confined to its thread.
 */
package io.sluice.channel.file;
