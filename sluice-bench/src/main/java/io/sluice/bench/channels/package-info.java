/**
 * The {@code spillable} and {@code jdbc} benchmark scenarios: a channel between {@code seq} and
 * {@code null}, compared with Apache Flume's channel of the same type. Immutable values; each run
 * happens on the calling thread.
 */
package io.sluice.bench.channels;
