/**
 * The {@code plugin} scenario: the same Apache Flume plugin jar run by Apache Flume 1.11 and by
 * Sluice's Flume bridge, side by side. Stateless.
 */
package io.sluice.bench.plugin;
