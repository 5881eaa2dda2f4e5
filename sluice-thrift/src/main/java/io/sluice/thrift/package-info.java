/**
 * The {@code thrift} source and sink: Sluice's side of Apache Flume's Thrift protocol
 * ({@code ThriftSourceProtocol.append} and {@code appendBatch}, framed transport, compact or binary
 * protocol), wire-compatible with Flume 1.11 in both directions, with Flume's configuration keys.
 * The source answers {@code OK} only after a request's events are committed to every required
 * channel; the sink commits its take only on {@code OK}.
 *
 * <p>Thread-safety: configuration classes are immutable. {@link io.sluice.thrift.ThriftSource} is
 * started and stopped by one thread and serves each connection on one Netty event loop plus one
 * delivery thread. {@link io.sluice.thrift.ThriftSink#process()} is called by one runner thread at a
 * time.
 */
package io.sluice.thrift;
