package io.sluice.core.registry;

import io.sluice.api.ComponentFactory;
import java.util.List;

/**
 * Built-in runtime types: the memory channel, channel selectors, sink processors, and the
 * {@code seq}, {@code logger} and {@code null} components.
 */
final class RuntimeComponents {
    private RuntimeComponents() {
    }

    static List<ComponentFactory<?>> factories() {
        return List.of();
    }
}
