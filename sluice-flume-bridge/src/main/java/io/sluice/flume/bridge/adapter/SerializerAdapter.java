package io.sluice.flume.bridge.adapter;

import io.sluice.api.Event;
import io.sluice.core.serialization.EventSerializer;
import java.io.IOException;

import static java.util.Objects.requireNonNull;

/**
 * A Flume {@code EventSerializer} used by a Sluice sink that writes files ({@code file_roll},
 * later ones that take {@code serializer}). Not thread-safe: the sink's runner thread only.
 */
final class SerializerAdapter implements EventSerializer {
    private final org.apache.flume.serialization.EventSerializer plugin;

    SerializerAdapter(org.apache.flume.serialization.EventSerializer plugin) {
        this.plugin = requireNonNull(plugin, "plugin is null");
    }

    @Override
    public void afterCreate() throws IOException {
        plugin.afterCreate();
    }

    @Override
    public void afterReopen() throws IOException {
        plugin.afterReopen();
    }

    @Override
    public void write(Event event) throws IOException {
        plugin.write(new EventView(event));
    }

    @Override
    public void flush() throws IOException {
        plugin.flush();
    }

    @Override
    public void beforeClose() throws IOException {
        plugin.beforeClose();
    }

    @Override
    public boolean supportsReopen() {
        return plugin.supportsReopen();
    }
}
