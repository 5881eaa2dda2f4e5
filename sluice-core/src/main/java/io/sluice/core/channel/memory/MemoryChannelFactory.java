package io.sluice.core.channel.memory;

import io.sluice.api.Channel;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.ChannelCounter;
/**
 * The {@code memory} channel type (also Apache Flume's {@code org.apache.flume.channel.MemoryChannel}).
 *
 * <ul>
 *   <li>{@code capacity} (100): the most events the channel holds.</li>
 *   <li>{@code transactionCapacity} (100): the most events one transaction puts or takes; at most capacity.</li>
 *   <li>{@code byteCapacity} (80% of the JVM's max heap): the most body bytes held; 0 for no limit.</li>
 *   <li>{@code byteCapacityBufferPercentage} (20): the share of byteCapacity kept free for headers.</li>
 *   <li>{@code keep-alive} (3): seconds a commit waits for space before it fails as full.</li>
 * </ul>
 */
public final class MemoryChannelFactory implements ComponentFactory<Channel> {
    public static final ConfigKey<Integer> CAPACITY = ConfigKey.intKey("capacity", 100,
            "the most events the channel holds").atLeast(1);
    public static final ConfigKey<Integer> TRANSACTION_CAPACITY = ConfigKey.intKey("transactionCapacity", 100,
            "the most events one transaction puts or takes").atLeast(1);
    public static final ConfigKey<Long> BYTE_CAPACITY = ConfigKey.longKey("byteCapacity",
            (long) (Runtime.getRuntime().maxMemory() * 0.8), "the most event body bytes held; 0 for no limit")
            .atLeast(0).defaultShownAs("80% of the heap (-Xmx)");
    public static final ConfigKey<Integer> BYTE_CAPACITY_BUFFER_PERCENTAGE = ConfigKey.intKey(
            "byteCapacityBufferPercentage", 20, "percent of byteCapacity kept free for headers").between(0, 99);
    public static final ConfigKey<Integer> KEEP_ALIVE = ConfigKey.intKey("keep-alive", 3,
            "seconds a put commit waits for space").atLeast(0);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.CHANNEL, "memory")
            .otherNames("org.apache.flume.channel.MemoryChannel")
            .keys(CAPACITY, TRANSACTION_CAPACITY, BYTE_CAPACITY, BYTE_CAPACITY_BUFFER_PERCENTAGE, KEEP_ALIVE)
            .description("Holds events in memory: fast, but what it holds is lost when the process stops or crashes.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Channel create(ComponentContext context) {
        int capacity = context.get(CAPACITY);
        int txCapacity = context.get(TRANSACTION_CAPACITY);
        long byteCapacity = context.get(BYTE_CAPACITY);
        int buffer = context.get(BYTE_CAPACITY_BUFFER_PERCENTAGE);
        int keepAlive = context.get(KEEP_ALIVE);
        if (txCapacity > capacity) {
            context.problem(TRANSACTION_CAPACITY.name(), String.valueOf(txCapacity),
                    "must not be larger than capacity (" + capacity + ")",
                    "lower " + context.fullKey(TRANSACTION_CAPACITY.name()) + " to " + capacity
                            + " or less, or raise " + context.fullKey(CAPACITY.name()));
            txCapacity = capacity;
        }
        long byteLimit = byteCapacity == 0 ? Long.MAX_VALUE : byteCapacity * (100 - buffer) / 100;
        String label = context.label();
        ChannelCounter counter = context.counters().register(new ChannelCounter(context.name()));
        return new MemoryChannel(context.name(), label, capacity, txCapacity, byteLimit,
                keepAlive * 1000L, counter);
    }
}
