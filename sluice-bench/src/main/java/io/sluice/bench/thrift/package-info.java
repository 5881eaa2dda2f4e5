/**
 * {@code thrift-hop}: the avro-hop measurement ({@link io.sluice.bench.avro.AvroHopScenario}) through
 * a thrift source, with Sluice's thrift client and Apache Flume 1.11's thrift client as the loads.
 * The drivers run in their own JVMs, one thread each; not shared between threads.
 */
package io.sluice.bench.thrift;
