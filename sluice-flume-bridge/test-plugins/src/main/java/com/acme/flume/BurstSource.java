package com.acme.flume;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.EventDrivenSource;
import org.apache.flume.conf.BatchSizeSupported;
import org.apache.flume.conf.Configurable;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.instrumentation.SourceCounter;
import org.apache.flume.source.AbstractSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An event-driven source with a thread of its own: sends {@code totalEvents} events with bodies
 * {@code <prefix>0}, {@code <prefix>1}, ... in batches of {@code batchSize} through
 * {@code processEventBatch}, retrying a batch the channel refused. Header {@code seq} holds the
 * number. Lifecycle calls are synchronized; the sending thread is its own.
 */
public class BurstSource extends AbstractSource implements EventDrivenSource, Configurable, BatchSizeSupported {
    private static final Logger LOG = LoggerFactory.getLogger(BurstSource.class);
    private long totalEvents;
    private int batchSize;
    private String prefix;
    private SourceCounter counter;
    private volatile boolean running;
    private Thread thread;

    @Override
    public void configure(Context context) {
        totalEvents = context.getLong("totalEvents", 100L);
        batchSize = context.getInteger("batchSize", 10);
        prefix = context.getString("prefix", "event-");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1, was " + batchSize);
        }
        if (counter == null) {
            counter = new SourceCounter(getName());
        }
    }

    @Override
    public long getBatchSize() {
        return batchSize;
    }

    @Override
    public synchronized void start() {
        counter.start();
        running = true;
        thread = new Thread(this::send, "burst-source-" + getName());
        thread.setDaemon(true);
        thread.start();
        super.start();
    }

    private void send() {
        long next = 0;
        while (running && next < totalEvents) {
            List<Event> batch = new ArrayList<>(batchSize);
            for (long i = next; i < Math.min(totalEvents, next + batchSize); i++) {
                Map<String, String> headers = new HashMap<>();
                headers.put("seq", Long.toString(i));
                batch.add(EventBuilder.withBody((prefix + i).getBytes(StandardCharsets.UTF_8), headers));
            }
            int size = batch.size(); // before the call: Apache Flume's interceptors may remove events from the list
            counter.addToEventReceivedCount(size);
            try {
                getChannelProcessor().processEventBatch(batch);
                counter.addToEventAcceptedCount(size);
                next += size;
            } catch (RuntimeException e) {
                counter.incrementChannelWriteFail();
                LOG.warn("[{}] the channel refused the batch starting at {}; retrying it: {}", getName(), next, e.toString());
                try {
                    Thread.sleep(20); // the channel is full: back off like a real source, then retry the batch
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    @Override
    public synchronized void stop() {
        running = false;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        counter.stop();
        super.stop();
    }
}
