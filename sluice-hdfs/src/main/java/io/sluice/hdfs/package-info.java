/**
 * The {@code hdfs} sink: Apache Flume 1.11's HDFS sink, key for key, on Hadoop's shaded client.
 * Events are written into bucketed files on any Hadoop FileSystem, flushed before each take
 * commits; in-use files left by a crash are recovered from a local journal on start; an optional
 * exactly-once mode records each batch's file-channel position on HDFS with its data. The sink
 * is driven by one runner thread and guards its state with its own monitor, which its roll
 * timers also take; the other classes are confined to that monitor or immutable, as each says.
 */
package io.sluice.hdfs;
