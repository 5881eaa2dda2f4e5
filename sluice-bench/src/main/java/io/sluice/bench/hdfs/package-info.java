/** The {@code hdfs} scenario: Sluice's and Apache Flume 1.11's HDFS sinks against one MiniDFSCluster. */
package io.sluice.bench.hdfs;
