package io.sluice.avro;

import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.api.deadletter.DeadLetters;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.sdk.RpcClientConfig;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * One avro hop for the sink tests, over 127.0.0.1: a started next agent (an avro source in front of
 * a hand-written channel processor), Sluice's real memory channels and an avro sink between them.
 * {@link #close()} stops everything it started, newest first. Not thread-safe.
 */
final class AvroHop implements AutoCloseable {
    private final List<AutoCloseable> toStop = new ArrayList<>();

    /** The next agent: an avro source with {@code max-frame-bytes = frameLimit} handing requests to {@code processor}. */
    AvroSource nextAgent(long frameLimit, ChannelProcessor processor) {
        AvroSource next = new AvroSource("r9", "a2.sources.r9",
                AvroSourceConfig.plain("127.0.0.1", 0).withLimits(frameLimit, 10_000), new SourceCounter("r9"));
        next.setChannelProcessor(processor);
        next.start();
        toStop.add(next::stop);
        return next;
    }

    /** A started channel {@code a1.channels.<name>} of {@code capacity} events per channel and per transaction. */
    MemoryChannel channel(String name, int capacity) {
        MemoryChannel c = new MemoryChannel(name, "a1.channels." + name, capacity, capacity, Long.MAX_VALUE, 0,
                new ChannelCounter(name));
        c.start();
        toStop.add(c::stop);
        return c;
    }

    /** A started sink {@code a1.sinks.k1} from {@code channel} to {@code port}, with {@code dlq} when not null. */
    AvroSink sink(int port, MemoryChannel channel, MemoryChannel dlq, int batchSize, long maxEventBytes,
            long maxRequestBytes) {
        AvroSink sink = new AvroSink("k1", "a1.sinks.k1", RpcClientConfig.builder().host("127.0.0.1", port)
                .batchSize(batchSize).connectTimeoutMillis(10_000).requestTimeoutMillis(10_000).build(), 0,
                maxEventBytes, maxRequestBytes, new SinkCounter("k1"));
        sink.setChannel(channel);
        if (dlq != null) {
            sink.setDeadLetters(new DeadLetters(dlq, "a1.sinks.k1", Clock.systemUTC()));
        }
        sink.start();
        toStop.add(sink::stop);
        return sink;
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

    @Override
    public void close() throws Exception {
        for (int i = toStop.size() - 1; i >= 0; i--) {
            toStop.get(i).close();
        }
        toStop.clear();
    }
}
