package io.sluice.flume.bridge.adapter;

import io.sluice.api.ChannelFullException;
import io.sluice.api.ChannelProcessor;
import java.util.List;
import org.apache.flume.ChannelException;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.channel.ReplicatingChannelSelector;

import static java.util.Objects.requireNonNull;

/**
 * What a Flume source gets from {@code getChannelProcessor()}: Apache Flume's own
 * {@code ChannelProcessor} type, whose {@code processEvent}/{@code processEventBatch} hand the
 * events to the Sluice channel processor of the source (Sluice's interceptors, selector and
 * channels). Back-pressure surfaces as Flume's {@code ChannelFullException}, any other failure as
 * {@code ChannelException}, as a Flume source expects. Thread-safe.
 */
final class BridgeChannelProcessor extends org.apache.flume.channel.ChannelProcessor {
    private final ChannelProcessor target;

    BridgeChannelProcessor(ChannelProcessor target) {
        super(new ReplicatingChannelSelector());
        this.target = requireNonNull(target, "target is null");
    }

    @Override
    public void initialize() {
        // Sluice's channel processor initialises its interceptors when the agent starts
    }

    @Override
    public void close() {
    }

    @Override
    public void configure(Context context) {
    }

    @Override
    public void processEvent(Event event) {
        requireNonNull(event, "event is null");
        try {
            target.processEvent(Events.toSluice(event));
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    @Override
    public void processEventBatch(List<Event> events) {
        requireNonNull(events, "events is null");
        try {
            target.processEventBatch(Events.toSluice(events));
        } catch (RuntimeException e) {
            throw translate(e);
        }
    }

    private static RuntimeException translate(RuntimeException e) {
        if (e instanceof ChannelException) {
            return e;
        }
        if (e instanceof ChannelFullException) {
            return new org.apache.flume.ChannelFullException(e.getMessage(), e);
        }
        return new ChannelException("Unable to put batch on required channel: " + e.getMessage(), e);
    }
}
