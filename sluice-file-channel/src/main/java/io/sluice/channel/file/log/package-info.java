/**
 * The write-ahead log under the file channel: the on-disk format ({@link
 * io.sluice.channel.file.log.LogFormat}), record encoding, the group-commit writer, segment
 * scanning and random reads, checkpoints, replay and the live queue with its segment reference
 * counts. {@link io.sluice.channel.file.log.LogStore} and {@link io.sluice.channel.file.log.LogWriter}
 * are thread-safe; the encoders, scanners and queues are confined to one thread or guarded by the
 * store's lock, as each class says.
 */
package io.sluice.channel.file.log;
