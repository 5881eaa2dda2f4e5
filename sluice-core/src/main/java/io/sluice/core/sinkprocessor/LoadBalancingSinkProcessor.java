package io.sluice.core.sinkprocessor;

import io.sluice.api.EventDeliveryException;
import io.sluice.api.Sink;
import io.sluice.api.Status;
import java.util.Iterator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Spreads batches over the sinks of a group in the order its {@link SinkSelector} gives: the first
 * sink that processes without throwing ends the attempt (whatever status it returns); a sink that
 * throws is reported to the selector and the next one is tried. When all throw, {@link #process()}
 * throws. Driven by one runner thread.
 */
public final class LoadBalancingSinkProcessor extends StatefulSinkProcessor {
    private static final Logger LOG = LoggerFactory.getLogger(LoadBalancingSinkProcessor.class);

    private final String label;
    private final SinkSelector selector;

    public LoadBalancingSinkProcessor(String label, SinkSelector selector) {
        this.label = requireNonNull(label, "label is null");
        this.selector = requireNonNull(selector, "selector is null");
    }

    @Override
    public void setSinks(List<Sink> sinks) {
        selector.setSinks(sinks);
    }

    @Override
    public Status process() throws EventDeliveryException {
        Iterator<Sink> it = selector.order();
        Exception last = null;
        while (it.hasNext()) {
            Sink sink = it.next();
            try {
                Status s = sink.process();
                selector.succeeded(sink);
                if (s == Status.BACKOFF) {
                    selector.idle();
                }
                return s;
            } catch (Exception e) {
                last = e;
                selector.failed(sink);
                LOG.warn("[{}] sink {} failed, trying the next one: {}", label, sink.name(), e.toString());
            }
        }
        throw new EventDeliveryException("[" + label + "] every sink of the load_balance group failed; the events stay in "
                + "their channels and are retried", last);
    }
}
