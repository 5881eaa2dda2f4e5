package io.sluice.thrift;

import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.selector.ReplicatingChannelSelector;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A started thrift source in front of Sluice's real memory channel (keep-alive 0, so a full channel
 * refuses at once), for the tests to send to and read back from.
 */
final class Receiver implements AutoCloseable {
    final MemoryChannel channel;
    final ThriftSource source;

    private Receiver(MemoryChannel channel, ThriftSource source) {
        this.channel = channel;
        this.source = source;
    }

    static Receiver start(ThriftSourceConfig config, int capacity) {
        MemoryChannel channel = new MemoryChannel("c1", "a1.channels.c1", capacity, Math.min(capacity, 10_000),
                Long.MAX_VALUE, 0, new ChannelCounter("c1"));
        channel.start();
        ReplicatingChannelSelector selector = new ReplicatingChannelSelector(List.of());
        selector.setChannels(List.of(channel));
        DefaultChannelProcessor processor = new DefaultChannelProcessor("a1.sources.r1", selector, List.of(),
                new CounterGroup("CHANNEL_PROCESSOR", "r1"));
        ThriftSource source = new ThriftSource("r1", "a1.sources.r1", config, new SourceCounter("r1"));
        source.setChannelProcessor(processor);
        source.start();
        return new Receiver(channel, source);
    }

    static Receiver start() {
        return start(ThriftSourceConfig.plain("127.0.0.1", 0), 100_000);
    }

    int port() {
        return source.port();
    }

    long counter(String name) {
        return source.counter().get(name);
    }

    /** Takes every event in the channel, in order. */
    List<Event> drain() {
        List<Event> out = new ArrayList<>();
        while (true) {
            try (Transaction tx = channel.getTransaction()) {
                tx.begin();
                int n = tx.takeBatch(1000, out);
                tx.commit();
                if (n == 0) {
                    return out;
                }
            }
        }
    }

    @Override
    public void close() {
        source.stop();
        channel.stop();
    }

    /** Events with distinct headers and bodies, including empty bodies, no headers and non-ASCII text. */
    static List<Event> numbered(String prefix, int n) {
        List<Event> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            Event.Builder b = Event.builder();
            if (i % 11 != 3) {
                b.header("seq", Integer.toString(i)).header("origin", prefix);
            }
            if (i % 7 == 0) {
                b.header("note", "größe \u00e9\u4e2d");
            }
            b.body(i % 50 == 0 ? new byte[0] : (prefix + "-" + i + "-payload").getBytes(StandardCharsets.UTF_8));
            out.add(b.build());
        }
        return out;
    }
}
