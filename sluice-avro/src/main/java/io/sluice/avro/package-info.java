/**
 * The {@code avro} source and sink: Sluice's side of Apache Flume's Avro RPC protocol
 * ({@code AvroSourceProtocol.append} and {@code appendBatch}), wire-compatible with Flume 1.11 in
 * both directions, with Flume's configuration keys. The source answers {@code OK} only after a
 * batch is committed to every required channel; the sink commits its take only on {@code OK}.
 *
 * <p>Thread-safety: configuration classes are immutable. {@link io.sluice.avro.AvroSource} is
 * started and stopped by one thread and serves connections on Netty event loops (one connection
 * is served by one loop thread). {@link io.sluice.avro.AvroSink#process()} is called by one runner
 * thread at a time.
 */
package io.sluice.avro;
