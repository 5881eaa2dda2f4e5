/**
 * The Avro RPC wire format shared with Apache Flume's avro source, sink and client: Netty frames
 * ({@code serial, count, (length, bytes)*}, all big-endian ints), the Avro IPC handshake, and the
 * binary encoding of {@code AvroSourceProtocol} calls and responses. Sources, sinks and clients
 * encode and decode with these classes directly, without Avro's generic reflection, and every
 * length read from the network is checked against the bytes actually received before anything is
 * allocated.
 *
 * <p>The codec classes are stateless and thread-safe; {@link io.sluice.sdk.wire.FrameDecoder} is a
 * Netty handler with per-connection state and belongs to one channel.
 */
package io.sluice.sdk.wire;
