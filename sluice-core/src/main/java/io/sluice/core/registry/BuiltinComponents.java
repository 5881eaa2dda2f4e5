package io.sluice.core.registry;

import io.sluice.api.ComponentFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The one visible list of the component types built into sluice-core. Modules outside the core
 * (file channel, avro, ...) register through {@code ServiceLoader} instead.
 */
public final class BuiltinComponents {
    private BuiltinComponents() {
    }

    public static List<ComponentFactory<?>> all() {
        List<ComponentFactory<?>> all = new ArrayList<>();
        all.addAll(RuntimeComponents.factories());
        all.addAll(IoComponents.factories());
        return List.copyOf(all);
    }
}
