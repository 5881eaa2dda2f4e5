package com.acme.flume;

import org.apache.flume.EventDeliveryException;
import org.apache.flume.sink.AbstractSink;

/** Fails to start, as a sink whose endpoint cannot be reached at start-up does. */
public class UnreachableSink extends AbstractSink {
    @Override
    public synchronized void start() {
        throw new IllegalStateException("cannot connect to the warehouse");
    }

    @Override
    public Status process() throws EventDeliveryException {
        throw new EventDeliveryException("process() must not be called on a sink that did not start");
    }
}
