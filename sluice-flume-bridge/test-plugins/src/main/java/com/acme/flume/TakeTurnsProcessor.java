package com.acme.flume;

import java.util.List;
import org.apache.flume.Context;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.Sink;
import org.apache.flume.sink.AbstractSinkProcessor;

/**
 * A sink processor that gives each sink of its group a turn, moving on after a BACKOFF or a
 * failure; {@code startWith} names the sink that goes first. Called by one runner thread.
 */
public class TakeTurnsProcessor extends AbstractSinkProcessor {
    private int next;

    @Override
    public void configure(Context context) {
        String first = context.getString("startWith");
        List<Sink> sinks = getSinks();
        for (int i = 0; first != null && i < sinks.size(); i++) {
            if (sinks.get(i).getName().equals(first)) {
                next = i;
            }
        }
    }

    @Override
    public Sink.Status process() throws EventDeliveryException {
        List<Sink> sinks = getSinks();
        for (int tries = 0; tries < sinks.size(); tries++) {
            Sink s = sinks.get(next);
            next = (next + 1) % sinks.size();
            try {
                if (s.process() == Sink.Status.READY) {
                    return Sink.Status.READY;
                }
            } catch (EventDeliveryException e) {
                // try the next sink
            }
        }
        return Sink.Status.BACKOFF;
    }
}
