package com.acme.flume;

import org.apache.flume.Channel;
import org.apache.flume.Event;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.Transaction;
import org.apache.flume.sink.AbstractSink;

/**
 * Takes an event, then fails with a runtime exception without rolling back or closing its
 * transaction: the worst-behaved sink. Called by one runner thread.
 */
public class ExplodingSink extends AbstractSink {
    @Override
    public Status process() throws EventDeliveryException {
        Channel channel = getChannel();
        Transaction tx = channel.getTransaction();
        tx.begin();
        Event e = channel.take();
        if (e == null) {
            tx.commit();
            tx.close();
            return Status.BACKOFF;
        }
        throw new IllegalStateException("ExplodingSink cannot deliver " + e.getHeaders());
    }
}
