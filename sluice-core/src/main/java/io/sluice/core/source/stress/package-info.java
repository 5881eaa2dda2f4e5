/**
 * The stress source ({@code org.apache.flume.source.StressSource}, alias {@code stress}): a pollable
 * source that generates fixed-size events as fast as allowed, for load tests. Thread-safe.
 */
package io.sluice.core.source.stress;
