package io.sluice.avro;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import java.util.ArrayList;
import java.util.List;

/** Sluice's real memory channel for the sink tests: started, filled and emptied in one transaction each. */
final class MemoryChannels {
    private MemoryChannels() {
    }

    /** A started channel {@code a1.channels.<name>} of {@code capacity} events per channel and per transaction. */
    static MemoryChannel started(String name, int capacity) {
        MemoryChannel c = new MemoryChannel(name, "a1.channels." + name, capacity, capacity, Long.MAX_VALUE, 0,
                new ChannelCounter(name));
        c.start();
        return c;
    }

    static void put(MemoryChannel c, List<Event> events) {
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            tx.putAll(events);
            tx.commit();
        }
    }

    /** Takes up to {@code max} events, in order. */
    static List<Event> take(MemoryChannel c, int max) {
        List<Event> out = new ArrayList<>();
        try (Transaction tx = c.getTransaction()) {
            tx.begin();
            tx.takeBatch(max, out);
            tx.commit();
        }
        return out;
    }
}
