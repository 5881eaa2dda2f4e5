/**
 * {@code avro-hop}: a client sends 100-byte events over Avro RPC to an avro source feeding a memory
 * channel drained by a null sink; Sluice's SDK client and agent against Apache Flume 1.11's
 * {@code RpcClientFactory} client and agent, at batch sizes 100 and 1000. The drivers run in their
 * own child JVMs on each product's classpath; the scenario runs on the harness thread and is not
 * thread-safe.
 */
package io.sluice.bench.avro;
