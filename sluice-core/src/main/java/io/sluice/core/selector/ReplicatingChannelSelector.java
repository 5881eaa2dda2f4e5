package io.sluice.core.selector;

import io.sluice.api.Channel;
import io.sluice.api.ChannelSelector;
import io.sluice.api.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Sends every event to every channel of the source; channels named in {@code selector.optional}
 * are optional (a failure there does not fail the put). Thread-safe after {@link #setChannels}.
 */
public final class ReplicatingChannelSelector implements ChannelSelector, ChannelReferences {
    private final List<String> optionalNames;
    private volatile List<Channel> all = List.of();
    private volatile List<Channel> required = List.of();
    private volatile List<Channel> optional = List.of();

    public ReplicatingChannelSelector(List<String> optionalNames) {
        this.optionalNames = List.copyOf(optionalNames);
    }

    @Override
    public void setChannels(List<Channel> channels) {
        Set<String> opt = Set.copyOf(optionalNames);
        List<Channel> req = new ArrayList<>();
        List<Channel> o = new ArrayList<>();
        for (Channel c : channels) {
            (opt.contains(c.name()) ? o : req).add(c);
        }
        all = List.copyOf(channels);
        required = List.copyOf(req);
        optional = List.copyOf(o);
    }

    @Override
    public List<Channel> getRequiredChannels(Event event) {
        return required;
    }

    @Override
    public List<Channel> getOptionalChannels(Event event) {
        return optional;
    }

    @Override
    public List<Channel> getAllChannels() {
        return all;
    }

    @Override
    public Map<String, List<String>> channelReferences() {
        return optionalNames.isEmpty() ? Map.of() : Map.of("optional", optionalNames);
    }
}
