package io.sluice.flume.bridge;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;

/**
 * Implemented by the adapter side (defined by the plugin class loader, so it can see Apache
 * Flume's types): turns a plugin class into a factory for a component of the requested kind, or a
 * factory that reports why it cannot be one. Thread-safe.
 */
public interface FlumeClassResolver {

    ComponentFactory<?> factoryFor(ComponentKind kind, Class<?> pluginClass);
}
