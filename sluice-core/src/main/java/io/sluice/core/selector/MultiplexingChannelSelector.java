package io.sluice.core.selector;

import io.sluice.api.Channel;
import io.sluice.api.ChannelSelector;
import io.sluice.api.Event;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Routes each event by the value of one header ({@code selector.header}): to the channels of
 * {@code selector.mapping.<value>}, or to {@code selector.default} when the header is missing or
 * has no mapping. {@code selector.optional.<value>} adds optional channels for a value (a channel
 * that is already required for the value is not also optional). Thread-safe after
 * {@link #setChannels}.
 */
public final class MultiplexingChannelSelector implements ChannelSelector, ChannelReferences {
    private final String header;
    private final Map<String, List<String>> mappingNames;
    private final Map<String, List<String>> optionalNames;
    private final List<String> defaultNames;
    private volatile List<Channel> all = List.of();
    private volatile Map<String, List<Channel>> mapping = Map.of();
    private volatile Map<String, List<Channel>> optional = Map.of();
    private volatile List<Channel> defaults = List.of();

    public MultiplexingChannelSelector(String header, Map<String, List<String>> mappingNames,
            Map<String, List<String>> optionalNames, List<String> defaultNames) {
        this.header = requireNonNull(header, "header is null");
        this.mappingNames = new LinkedHashMap<>(mappingNames);
        this.optionalNames = new LinkedHashMap<>(optionalNames);
        this.defaultNames = List.copyOf(defaultNames);
    }

    @Override
    public void setChannels(List<Channel> channels) {
        Map<String, Channel> byName = new HashMap<>();
        for (Channel c : channels) {
            byName.put(c.name(), c);
        }
        Map<String, List<Channel>> m = new HashMap<>();
        mappingNames.forEach((value, names) -> m.put(value, resolve(names, byName)));
        Map<String, List<Channel>> o = new HashMap<>();
        optionalNames.forEach((value, names) -> {
            List<Channel> req = m.getOrDefault(value, List.of());
            List<Channel> opt = new ArrayList<>(resolve(names, byName));
            opt.removeAll(req);
            o.put(value, List.copyOf(opt));
        });
        all = List.copyOf(channels);
        mapping = m;
        optional = o;
        defaults = resolve(defaultNames, byName);
    }

    private static List<Channel> resolve(List<String> names, Map<String, Channel> byName) {
        List<Channel> out = new ArrayList<>();
        for (String n : names) {
            Channel c = byName.get(n);
            if (c != null && !out.contains(c)) {
                out.add(c);
            }
        }
        return List.copyOf(out);
    }

    @Override
    public List<Channel> getRequiredChannels(Event event) {
        String value = event.header(header);
        if (value == null || value.isBlank()) {
            return defaults;
        }
        List<Channel> c = mapping.get(value);
        return c == null ? defaults : c;
    }

    @Override
    public List<Channel> getOptionalChannels(Event event) {
        String value = event.header(header);
        if (value == null) {
            return List.of();
        }
        List<Channel> c = optional.get(value);
        return c == null ? List.of() : c;
    }

    @Override
    public List<Channel> getAllChannels() {
        return all;
    }

    @Override
    public Map<String, List<String>> channelReferences() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        mappingNames.forEach((v, n) -> out.put("mapping." + v, n));
        optionalNames.forEach((v, n) -> out.put("optional." + v, n));
        if (!defaultNames.isEmpty()) {
            out.put("default", defaultNames);
        }
        return out;
    }
}
