/**
 * Channel selectors: {@code replicating} (every channel, some optional) and {@code multiplexing}
 * (by header value, with default and optional channels) and {@code load_balancing} (one channel per
 * event, round robin or random), with Apache Flume's keys. Selectors are
 * configured once, then read-only and thread-safe.
 */
package io.sluice.core.selector;
