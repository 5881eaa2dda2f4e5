package io.sluice.core.selector;

import io.sluice.api.Channel;
import io.sluice.api.ChannelSelector;
import io.sluice.api.Event;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

import static java.util.Objects.requireNonNull;

/**
 * Sends each event to exactly one of the source's channels, chosen per event: in turn
 * ({@link Policy#ROUND_ROBIN}) or at random ({@link Policy#RANDOM}). The chosen channel is
 * required: when it is full or fails, the put fails and the source refuses its sender, as
 * Apache Flume 1.11's {@code load_balancing} selector does; no channel is skipped and no event is
 * dropped. There are no optional channels. Thread-safe after {@link #setChannels}: the round-robin
 * position is one atomic counter.
 */
public final class LoadBalancingChannelSelector implements ChannelSelector {

    /** How the channel of each event is chosen. */
    public enum Policy {
        ROUND_ROBIN, RANDOM;

        /** The policy spelled as in {@code selector.policy}, compared case-insensitively. */
        public static Policy of(String name) {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        }
    }

    private final Policy policy;
    private final RandomGenerator random;
    private final AtomicInteger next = new AtomicInteger();
    private volatile List<Channel> all = List.of();

    public LoadBalancingChannelSelector(Policy policy, RandomGenerator random) {
        this.policy = requireNonNull(policy, "policy is null");
        this.random = requireNonNull(random, "random is null");
    }

    public Policy policy() {
        return policy;
    }

    @Override
    public void setChannels(List<Channel> channels) {
        all = List.copyOf(channels);
    }

    @Override
    public List<Channel> getRequiredChannels(Event event) {
        List<Channel> channels = all;
        int size = channels.size();
        if (size == 0) {
            throw new IllegalStateException("load_balancing selector has no channels: setChannels was not called");
        }
        int pick = policy == Policy.ROUND_ROBIN
                ? next.getAndUpdate(i -> i + 1 >= size ? 0 : i + 1) % size
                : random.nextInt(size);
        return List.of(channels.get(pick));
    }

    @Override
    public List<Channel> getOptionalChannels(Event event) {
        return List.of();
    }

    @Override
    public List<Channel> getAllChannels() {
        return all;
    }
}
