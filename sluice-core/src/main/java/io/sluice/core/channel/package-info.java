/**
 * The source side of the hand-off: {@link io.sluice.core.channel.DefaultChannelProcessor} runs a
 * source's interceptors, asks its selector for channels and commits each batch to every required
 * channel in its own transaction. Thread-safe: sources may call it from many threads.
 */
package io.sluice.core.channel;
