package io.sluice.core.registry;

import io.sluice.api.ComponentFactory;
import java.util.List;

/**
 * Built-in I/O types: the netcat, netcatudp, exec, http and stress sources, the file_roll sink and
 * its serializers, and the interceptors.
 */
final class IoComponents {
    private IoComponents() {
    }

    static List<ComponentFactory<?>> factories() {
        return List.of();
    }
}
