package com.acme.flume;

import java.nio.charset.StandardCharsets;
import org.apache.flume.Context;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.PollableSource;
import org.apache.flume.conf.Configurable;
import org.apache.flume.event.EventBuilder;
import org.apache.flume.instrumentation.SourceCounter;
import org.apache.flume.source.AbstractPollableSource;

/**
 * A pollable source: each {@code process()} sends one event {@code tick-<n>} through
 * {@code processEvent} until {@code count} events went out, then answers BACKOFF. Called by one
 * runner thread.
 */
public class CountdownSource extends AbstractPollableSource implements PollableSource, Configurable {
    private long count;
    private long sent;
    private SourceCounter counter;

    @Override
    protected void doConfigure(Context context) {
        count = context.getLong("count", 10L);
        counter = new SourceCounter(getName());
    }

    @Override
    protected void doStart() {
        counter.start();
    }

    @Override
    protected void doStop() {
        counter.stop();
    }

    @Override
    protected Status doProcess() throws EventDeliveryException {
        if (sent >= count) {
            return Status.BACKOFF;
        }
        counter.incrementEventReceivedCount();
        getChannelProcessor().processEvent(EventBuilder.withBody(("tick-" + sent).getBytes(StandardCharsets.UTF_8)));
        counter.incrementEventAcceptedCount();
        sent++;
        return Status.READY;
    }
}
