/**
 * Loads components from plugin directories laid out as Apache Flume's {@code plugins.d} and from
 * extra class path entries, in a class loader of their own next to Apache Flume 1.11's API jars,
 * and hands them to the component registry through {@link io.sluice.core.registry.ComponentResolver}.
 * The classes here run in Sluice's own class loader and never touch a Flume type; the adapters in
 * {@code adapter} are defined by the plugin class loader. All classes here are thread-safe.
 */
package io.sluice.flume.bridge;
