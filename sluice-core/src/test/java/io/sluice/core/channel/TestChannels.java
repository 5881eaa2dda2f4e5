package io.sluice.core.channel;

import io.sluice.api.Channel;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import java.util.ArrayList;
import java.util.List;

/** Started memory channels and a drain, for tests that put through selectors and sinks. */
public final class TestChannels {
    private TestChannels() {
    }

    /** A started memory channel {@code a1.channels.<name>} whose capacity and transactionCapacity are {@code capacity}. */
    public static MemoryChannel memory(String name, int capacity) {
        MemoryChannel c = new MemoryChannel(name, "a1.channels." + name, capacity, capacity, 0, 0,
                new ChannelCounter(name));
        c.start();
        return c;
    }

    /** Takes and commits everything {@code c} holds (up to 100,000 events), oldest first. */
    public static List<Event> drain(Channel c) {
        List<Event> out = new ArrayList<>();
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            tx.takeBatch(100_000, out);
            tx.commit();
        }
        return out;
    }

    /** The bodies, as text, of what {@link #drain} takes. */
    public static List<String> drainBodies(Channel c) {
        List<String> bodies = new ArrayList<>();
        for (Event e : drain(c)) {
            bodies.add(e.bodyAsString());
        }
        return bodies;
    }
}
