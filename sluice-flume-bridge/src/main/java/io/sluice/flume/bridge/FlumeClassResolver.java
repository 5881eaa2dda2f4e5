package io.sluice.flume.bridge;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import java.util.Optional;

/**
 * Implemented by the adapter side (defined by the plugin class loader, so it can see Apache
 * Flume's types): turns a plugin class into a factory for a component of the requested kind, or a
 * factory that reports why it cannot be one. Thread-safe.
 */
public interface FlumeClassResolver {

    ComponentFactory<?> factoryFor(ComponentKind kind, Class<?> pluginClass);

    /**
     * {@code pluginClass}, named in {@code key} of {@code context}'s component, created, configured
     * from the keys under {@code key + "."} and adapted to {@code type} (an HTTP source handler as
     * an {@code HttpEventDecoder}); empty, with a problem reported on {@code key}, when it cannot be.
     */
    <T> Optional<T> part(Class<T> type, Class<?> pluginClass, ComponentContext context, String key);
}
