package io.sluice.core.selector;

import io.sluice.api.ChannelSelector;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.List;

/** {@code selector.type = replicating} (the default). Key: {@code selector.optional} (none): optional channels. */
public final class ReplicatingSelectorFactory implements ComponentFactory<ChannelSelector> {
    public static final ConfigKey<List<String>> OPTIONAL = ConfigKey.listKey("optional", List.of(),
            "channels of the source whose failures do not fail the put");

    @Override
    public ComponentKind kind() {
        return ComponentKind.CHANNEL_SELECTOR;
    }

    @Override
    public String alias() {
        return "replicating";
    }

    @Override
    public List<String> otherNames() {
        return List.of("org.apache.flume.channel.ReplicatingChannelSelector");
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(OPTIONAL);
    }

    @Override
    public ChannelSelector create(ComponentContext context) {
        return new ReplicatingChannelSelector(context.get(OPTIONAL));
    }
}
