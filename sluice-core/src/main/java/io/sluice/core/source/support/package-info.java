/**
 * Small pieces the built-in network sources share: the bind/port keys and their checks
 * ({@link io.sluice.core.source.support.SourceKeys}) and the listening socket with its Netty
 * threads, connection tracking and orderly shutdown ({@link io.sluice.core.source.support.NettyServer}).
 * Rate-limited warnings are in {@link io.sluice.core.support.RateLimitedLog}. All classes are
 * thread-safe.
 */
package io.sluice.core.source.support;
