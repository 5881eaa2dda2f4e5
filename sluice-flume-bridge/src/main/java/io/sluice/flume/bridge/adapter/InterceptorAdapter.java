package io.sluice.flume.bridge.adapter;

import io.sluice.api.Event;
import io.sluice.api.Interceptor;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A Flume interceptor (built by its {@code Interceptor.Builder}) in a Sluice source's chain. Each
 * event is shown as an {@link EventView}; one the interceptor did not change goes on as the same
 * Sluice event. A batch goes through the plugin's own {@code intercept(List)}. Thread-safe as far
 * as the plugin is (Flume requires interceptors to be).
 */
final class InterceptorAdapter implements Interceptor {
    private final org.apache.flume.interceptor.Interceptor plugin;

    InterceptorAdapter(org.apache.flume.interceptor.Interceptor plugin) {
        this.plugin = requireNonNull(plugin, "plugin is null");
    }

    @Override
    public void initialize() {
        plugin.initialize();
    }

    @Override
    public Event intercept(Event event) {
        org.apache.flume.Event out = plugin.intercept(new EventView(event));
        return out == null ? null : Events.toSluice(out);
    }

    @Override
    public List<Event> intercept(List<Event> events) {
        List<org.apache.flume.Event> out = plugin.intercept(Events.views(events));
        return out == null ? List.of() : Events.toSluice(out);
    }

    @Override
    public void close() {
        plugin.close();
    }

    @Override
    public String toString() {
        return "Flume interceptor " + plugin.getClass().getName();
    }
}
