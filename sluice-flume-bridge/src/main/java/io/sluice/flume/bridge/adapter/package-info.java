/**
 * Adapters between Sluice's contracts and Apache Flume 1.11's API, in both directions, without
 * copying events where it can be avoided: a Flume plugin sees a Sluice event through
 * {@link io.sluice.flume.bridge.adapter.EventView} (headers copied only when the plugin changes
 * them, the body only when it asks for the array), and an event a plugin built is handed to Sluice
 * without copying its body. These classes are defined by the plugin class loader, never by
 * Sluice's own, because they implement Flume's interfaces. Thread-safety is stated per class.
 */
package io.sluice.flume.bridge.adapter;
