/**
 * The Sluice client SDK: an {@link io.sluice.sdk.RpcClient} that sends events to a Sluice or
 * Apache Flume avro source over Flume's Avro RPC protocol, or to a thrift source over Flume's Thrift
 * protocol ({@code thrift}), created from properties by
 * {@link io.sluice.sdk.RpcClientFactory} ({@code default}, {@code default_failover} and
 * {@code default_loadbalance} and {@code thrift} clients, with Flume's property names).
 *
 * <p>Clients are thread-safe: many threads may send through one client at once; each call blocks
 * until the agent has answered every batch it sent, or a timeout passes. Configuration values are
 * immutable.
 */
package io.sluice.sdk;
