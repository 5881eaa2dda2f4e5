package io.sluice.flume.bridge.adapter;

import io.sluice.api.Channel;
import io.sluice.api.ChannelSelector;
import io.sluice.api.Event;
import io.sluice.api.config.ComponentContext;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flume.Context;

import static java.util.Objects.requireNonNull;

/**
 * A Flume {@code ChannelSelector} choosing among a Sluice source's channels. As in Apache Flume,
 * the plugin gets its channels first and its configuration second (selectors look channels up by
 * name while configuring); a failure there is reported as a problem of the {@code selector.*} keys.
 * Thread-safe once configured, as far as the plugin is.
 */
final class SelectorAdapter implements ChannelSelector {
    private final org.apache.flume.ChannelSelector plugin;
    private final ComponentContext context;
    private final Context flumeContext;
    private final PluginCalls calls;
    private volatile Map<org.apache.flume.Channel, Channel> byView = Map.of();
    private volatile List<Channel> all = List.of();

    SelectorAdapter(org.apache.flume.ChannelSelector plugin, ComponentContext context, Context flumeContext,
            PluginCalls calls) {
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.context = requireNonNull(context, "context is null");
        this.flumeContext = requireNonNull(flumeContext, "flumeContext is null");
        this.calls = requireNonNull(calls, "calls is null");
    }

    @Override
    public void setChannels(List<Channel> channels) {
        Map<org.apache.flume.Channel, Channel> map = new IdentityHashMap<>();
        List<org.apache.flume.Channel> views = new ArrayList<>();
        for (Channel c : channels) {
            ChannelView v = new ChannelView(c);
            map.put(v, c);
            views.add(v);
        }
        byView = map;
        all = List.copyOf(channels);
        calls.configureLate(context, () -> {
            plugin.setChannels(views);
            plugin.configure(flumeContext);
        });
    }

    @Override
    public List<Channel> getRequiredChannels(Event event) {
        return back(plugin.getRequiredChannels(new EventView(event)));
    }

    @Override
    public List<Channel> getOptionalChannels(Event event) {
        return back(plugin.getOptionalChannels(new EventView(event)));
    }

    @Override
    public List<Channel> getAllChannels() {
        return all;
    }

    private List<Channel> back(List<org.apache.flume.Channel> chosen) {
        if (chosen == null || chosen.isEmpty()) {
            return List.of();
        }
        Map<org.apache.flume.Channel, Channel> map = byView;
        List<Channel> out = new ArrayList<>(chosen.size());
        for (org.apache.flume.Channel c : chosen) {
            Channel s = map.get(c);
            if (s == null) {
                throw new IllegalStateException("Flume channel selector " + plugin.getClass().getName()
                        + " chose channel " + c + ", which is not one of the source's channels");
            }
            out.add(s);
        }
        return out;
    }
}
