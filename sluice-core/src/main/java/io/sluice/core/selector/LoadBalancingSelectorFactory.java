package io.sluice.core.selector;

import io.sluice.api.ChannelSelector;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.core.selector.LoadBalancingChannelSelector.Policy;
import java.util.concurrent.ThreadLocalRandom;

/**
 * {@code selector.type = load_balancing}. Key: {@code selector.policy} ({@code round_robin}):
 * {@code round_robin} or {@code random}, how each event's one channel is chosen.
 */
public final class LoadBalancingSelectorFactory implements ComponentFactory<ChannelSelector> {
    public static final ConfigKey<String> POLICY = ConfigKey.choiceKey("policy", "round_robin",
            "how each event's one channel is chosen: round_robin (in turn) or random", "round_robin", "random");

    private static final ComponentDescriptor DESCRIPTOR =
            ComponentDescriptor.builder(ComponentKind.CHANNEL_SELECTOR, "load_balancing")
            .otherNames("org.apache.flume.channel.LoadBalancingChannelSelector")
            .keys(POLICY)
            .description("Writes each event to one of the source's channels, in turn or at random.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public ChannelSelector create(ComponentContext context) {
        return new LoadBalancingChannelSelector(Policy.of(context.get(POLICY)), ThreadLocalRandom.current());
    }
}
