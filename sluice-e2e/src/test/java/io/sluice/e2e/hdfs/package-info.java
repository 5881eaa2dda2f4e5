/**
 * End-to-end tests of the hdfs sink: a real agent process writes into a MiniDFSCluster started by
 * the test in its own JVM, and is killed with {@code kill -9} while it writes. One cluster per class.
 */
package io.sluice.e2e.hdfs;
