package io.sluice.testing;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Sink;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractBatchSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A real sink that takes batches from its channel and records the events it committed; the
 * transaction and counters are {@link AbstractBatchSink}'s. It can be told to fail:
 * {@link #failNext(int)} makes the next N deliveries (takes of at least one event) roll their batch
 * back and throw; {@link #setFailing(boolean)} fails every delivery until turned off. Configured as type
 * {@code collecting} (keys {@code batchSize}, default 100, and {@code failing}, default false). Thread-safe.
 */
public final class CollectingSink extends AbstractBatchSink {
    private final List<Event> events = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresLeft = new AtomicInteger();
    private final AtomicBoolean failing = new AtomicBoolean();
    private final AtomicLong attempts = new AtomicLong();
    private final AtomicLong failures = new AtomicLong();
    private final AtomicLong rolledBackEvents = new AtomicLong();

    public CollectingSink(String name) {
        this(name, 100, new SinkCounter(name));
    }

    public CollectingSink(String name, int batchSize, SinkCounter counter) {
        super(name, name, batchSize, counter);
    }

    /** The next {@code n} deliveries roll their batch back and throw. */
    public void failNext(int n) {
        failuresLeft.set(n);
    }

    /** While true, every delivery rolls its batch back and throws. */
    public void setFailing(boolean on) {
        failing.set(on);
    }

    @Override
    protected void beforeBatch() {
        attempts.incrementAndGet();
    }

    @Override
    protected void deliver(List<Event> batch) throws EventDeliveryException {
        boolean fail = failing.get() || failuresLeft.getAndUpdate(v -> v > 0 ? v - 1 : 0) > 0;
        if (fail) {
            failures.incrementAndGet();
            rolledBackEvents.addAndGet(batch.size());
            throw new EventDeliveryException("[" + name() + "] told to fail; rolled back " + batch.size()
                    + " event(s)");
        }
    }

    @Override
    protected void committed(List<Event> batch) {
        events.addAll(batch);
    }

    /** The events committed so far, in order. */
    public List<Event> events() {
        return List.copyOf(events);
    }

    /** The bodies committed so far, as UTF-8 text, in order. */
    public List<String> bodies() {
        List<Event> snapshot = events();
        List<String> out = new ArrayList<>(snapshot.size());
        for (Event e : snapshot) {
            out.add(e.bodyAsString());
        }
        return out;
    }

    public int count() {
        return events.size();
    }

    public long attempts() {
        return attempts.get();
    }

    /** Attempts that were told to fail. */
    public long failures() {
        return failures.get();
    }

    /** Events taken and then rolled back by failing attempts. */
    public long rolledBackEvents() {
        return rolledBackEvents.get();
    }

    public void clear() {
        events.clear();
    }

    /** Builds collecting sinks from configuration: {@code type = collecting}, {@code batchSize} (100). */
    public static final class Factory implements ComponentFactory<Sink> {
        public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batchSize", 100,
                "events per transaction").atLeast(1);
        /** Starts the sink failing, so a test sees failures from the first attempt on. */
        public static final ConfigKey<Boolean> FAILING = ConfigKey.boolKey("failing", false,
                "fail every attempt until setFailing(false) is called");

        private static final ComponentDescriptor DESCRIPTOR =
                ComponentDescriptor.builder(ComponentKind.SINK, "collecting")
                .keys(BATCH_SIZE, FAILING)
                .description("Test sink that keeps the events it takes in memory.")
                .build();

        @Override
        public ComponentDescriptor descriptor() {
            return DESCRIPTOR;
        }

        @Override
        public Sink create(ComponentContext context) {
            CollectingSink sink = new CollectingSink(context.name(), context.get(BATCH_SIZE),
                    context.counters().register(new SinkCounter(context.name())));
            sink.setFailing(context.get(FAILING));
            return sink;
        }
    }
}
