/**
 * The {@code SPILLABLEMEMORY} channel: a memory queue that overflows into a file channel when it is
 * full, taking events out in the order they were put across both. {@link
 * io.sluice.channel.file.spillable.SpillableMemoryChannel} is thread-safe (one lock guards the memory
 * queue and the drain order, a second one orders commits into the overflow); each transaction belongs
 * to the thread that opened it. {@link io.sluice.channel.file.spillable.DrainOrder} is not thread-safe.
 */
package io.sluice.channel.file.spillable;
