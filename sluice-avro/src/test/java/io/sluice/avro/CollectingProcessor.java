package io.sluice.avro;

import io.sluice.api.ChannelFullException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A hand-written channel processor for tests (the collaborator, not the thing under test): keeps
 * every committed batch, refuses batches with {@link ChannelFullException} while {@link #full} is
 * set, and can hold puts until {@link #release()} is called.
 */
final class CollectingProcessor implements ChannelProcessor {
    private final List<Event> events = new ArrayList<>();
    volatile boolean full;
    private volatile CountDownLatch gate;

    @Override
    public void processEvent(Event event) {
        processEventBatch(List.of(event));
    }

    @Override
    public void processEventBatch(List<Event> batch) {
        CountDownLatch g = gate;
        if (g != null) {
            try {
                g.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new ChannelFullException("interrupted");
            }
        }
        if (full) {
            throw new ChannelFullException("test channel is full");
        }
        synchronized (events) {
            events.addAll(batch);
        }
    }

    void hold() {
        gate = new CountDownLatch(1);
    }

    void release() {
        CountDownLatch g = gate;
        gate = null;
        if (g != null) {
            g.countDown();
        }
    }

    List<Event> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    int size() {
        synchronized (events) {
            return events.size();
        }
    }
}
