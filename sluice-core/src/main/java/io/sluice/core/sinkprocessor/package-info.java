/**
 * Sink processors for sink groups: {@code default} (one sink), {@code failover} (the live sink of
 * highest priority, with a growing penalty for failed ones) and {@code load_balance} (round robin
 * or random, with optional backoff). A processor is driven by one sink runner thread; it is not
 * meant to be called concurrently.
 */
package io.sluice.core.sinkprocessor;
