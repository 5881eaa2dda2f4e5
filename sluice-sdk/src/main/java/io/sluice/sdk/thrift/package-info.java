/**
 * Apache Flume's Thrift wire protocol ({@code ThriftSourceProtocol}: {@code append} and
 * {@code appendBatch} of {@code ThriftFlumeEvent}s answered with a {@code Status}), written by hand:
 * framed transport (a 4-byte big-endian length before each message) carrying the compact or the
 * binary protocol. Readers and writers work on Netty buffers; each instance belongs to one message
 * and is not thread-safe. {@link io.sluice.sdk.thrift.ThriftMessages} and
 * {@link io.sluice.sdk.thrift.ThriftFrameDecoder} are what the source, the sink and the client use.
 */
package io.sluice.sdk.thrift;
