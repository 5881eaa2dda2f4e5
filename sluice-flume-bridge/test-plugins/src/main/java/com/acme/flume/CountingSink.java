package com.acme.flume;

import org.apache.flume.Channel;
import org.apache.flume.Context;
import org.apache.flume.Event;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.Transaction;
import org.apache.flume.conf.BatchSizeSupported;
import org.apache.flume.conf.Configurable;
import org.apache.flume.instrumentation.SinkCounter;
import org.apache.flume.sink.AbstractSink;

/**
 * Takes batches of {@code batchSize} events, adds their body lengths up and counts them in its
 * {@link SinkCounter}: the benchmark's plugin sink. Called by one runner thread.
 */
public class CountingSink extends AbstractSink implements Configurable, BatchSizeSupported {
    private int batchSize;
    private SinkCounter counter;
    private long bodyBytes;

    @Override
    public void configure(Context context) {
        batchSize = context.getInteger("batchSize", 100);
        if (counter == null) {
            counter = new SinkCounter(getName());
        }
    }

    @Override
    public long getBatchSize() {
        return batchSize;
    }

    @Override
    public synchronized void start() {
        counter.start();
        super.start();
    }

    @Override
    public synchronized void stop() {
        counter.stop();
        super.stop();
    }

    /** Body bytes seen so far (read by tests through the sink's events only). */
    public long bodyBytes() {
        return bodyBytes;
    }

    @Override
    public Status process() throws EventDeliveryException {
        Channel channel = getChannel();
        Transaction tx = channel.getTransaction();
        tx.begin();
        try {
            int n = 0;
            for (; n < batchSize; n++) {
                Event e = channel.take();
                if (e == null) {
                    break;
                }
                bodyBytes += e.getBody().length;
            }
            tx.commit();
            if (n == 0) {
                counter.incrementBatchEmptyCount();
                return Status.BACKOFF;
            }
            counter.addToEventDrainSuccessCount(n);
            return Status.READY;
        } catch (RuntimeException e) {
            tx.rollback();
            throw new EventDeliveryException("counting failed", e);
        } finally {
            tx.close();
        }
    }
}
