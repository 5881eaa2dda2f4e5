/**
 * Counters under Apache Flume's names ({@code EventReceivedCount}, {@code ChannelSize}, ...),
 * grouped per component and collected in a {@link io.sluice.api.metrics.CounterRegistry} that the
 * agent serves over HTTP. All classes are thread-safe; increments are lock-free.
 */
package io.sluice.api.metrics;
