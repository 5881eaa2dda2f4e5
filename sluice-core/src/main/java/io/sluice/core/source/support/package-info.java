/**
 * Small pieces the built-in network sources share: the bind/port keys and their checks
 * ({@link io.sluice.core.source.support.SourceKeys}), the listening socket with its Netty
 * threads, connection tracking and orderly shutdown ({@link io.sluice.core.source.support.NettyServer}),
 * and the defences against hostile clients: a cap on open connections
 * ({@link io.sluice.core.source.support.ConnectionLimiter}), idle and read timeouts
 * ({@link io.sluice.core.source.support.ConnectionTimeouts}), a per-source budget for the bytes of
 * unanswered requests ({@link io.sluice.core.source.support.PendingBytesBudget}) and a per-connection
 * pause while too many of its messages wait for the channel
 * ({@link io.sluice.core.source.support.RequestBacklog}, thread-safe). Rate-limited
 * warnings are in {@link io.sluice.core.support.RateLimitedLog}. {@code SourceKeys},
 * {@code NettyServer}, {@code ConnectionLimiter} and {@code PendingBytesBudget} are thread-safe;
 * a {@code ConnectionTimeouts} belongs to one connection and is used on its event loop only.
 */
package io.sluice.core.source.support;
