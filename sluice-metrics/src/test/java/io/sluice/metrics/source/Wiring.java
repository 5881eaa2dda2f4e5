package io.sluice.metrics.source;

import io.sluice.api.ChannelProcessor;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.selector.ReplicatingChannelSelector;
import java.util.List;

/** The real memory channel and channel processor the source tests put through. */
final class Wiring {
    private Wiring() {
    }

    static MemoryChannel channel(int capacity) {
        MemoryChannel ch = new MemoryChannel("c1", "a1.channels.c1", capacity, capacity, Long.MAX_VALUE, 0,
                new ChannelCounter("c1"));
        ch.start();
        return ch;
    }

    static ChannelProcessor processor(MemoryChannel ch) {
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector(List.of());
        selector.setChannels(List.of(ch));
        return new DefaultChannelProcessor("a1.sources.r1", selector, List.of(),
                new CounterGroup("CHANNEL_PROCESSOR", "r1"));
    }
}
