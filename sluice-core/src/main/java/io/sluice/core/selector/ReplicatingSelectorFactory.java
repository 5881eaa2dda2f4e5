package io.sluice.core.selector;

import io.sluice.api.ChannelSelector;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.List;

/** {@code selector.type = replicating} (the default). Key: {@code selector.optional} (none): optional channels. */
public final class ReplicatingSelectorFactory implements ComponentFactory<ChannelSelector> {
    public static final ConfigKey<List<String>> OPTIONAL = ConfigKey.listKey("optional", List.of(),
            "channels of the source whose failures do not fail the put");

    private static final ComponentDescriptor DESCRIPTOR =
            ComponentDescriptor.builder(ComponentKind.CHANNEL_SELECTOR, "replicating")
            .otherNames("org.apache.flume.channel.ReplicatingChannelSelector")
            .keys(OPTIONAL)
            .description("Writes every event to every channel of the source.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ChannelSelector create(ComponentContext context) {
        return new ReplicatingChannelSelector(context.get(OPTIONAL));
    }
}
