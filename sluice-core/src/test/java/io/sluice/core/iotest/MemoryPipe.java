package io.sluice.core.iotest;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.selector.ReplicatingChannelSelector;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;

/**
 * The agent's real memory channel behind the real channel processor, for source tests: a source
 * writes into {@link #processor()}, the test drains {@link #channel()}. A small capacity and a
 * short keep-alive make "channel full" reachable quickly.
 */
public final class MemoryPipe {
    private final MemoryChannel channel;
    private final DefaultChannelProcessor processor;
    private final ChannelCounter counter = new ChannelCounter("c1");

    public MemoryPipe(int capacity, long keepAliveMillis) {
        this(capacity, capacity, keepAliveMillis);
    }

    public MemoryPipe(int capacity, int transactionCapacity, long keepAliveMillis) {
        channel = new MemoryChannel("c1", "a1.channels.c1", capacity, transactionCapacity, Long.MAX_VALUE,
                keepAliveMillis,
                counter);
        channel.start();
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector(List.of());
        selector.setChannels(List.of(channel));
        processor = new DefaultChannelProcessor("a1.sources.r1", selector, List.of(),
                new CounterGroup("SOURCE", "r1"));
        processor.initialize();
    }

    public DefaultChannelProcessor processor() {
        return processor;
    }

    public ChannelCounter counter() {
        return counter;
    }

    public MemoryChannel channel() {
        return channel;
    }

    public int size() {
        return channel.size();
    }

    /** At least {@code n} events taken from the channel, waiting up to 20 s for them. */
    public List<Event> receive(int n) {
        List<Event> got = new ArrayList<>();
        await().atMost(Duration.ofSeconds(20)).until(() -> {
            got.addAll(drain());
            return got.size() >= n;
        });
        return got;
    }

    /** Takes and commits the events now in the channel (never waits for more to arrive). */
    public List<Event> drain() {
        List<Event> out = new ArrayList<>();
        int available;
        while ((available = channel.size()) > 0) {
            try (Transaction tx = channel.getTransaction()) {
                tx.begin();
                tx.takeBatch(Math.min(available, channel.transactionCapacity()), out);
                tx.commit();
            }
        }
        return out;
    }

    /** Puts events straight into the channel (for sink tests). */
    public void put(List<Event> events) {
        try (Transaction tx = channel.getTransaction()) {
            tx.begin();
            tx.putAll(events);
            tx.commit();
        }
    }
}
