package io.sluice.core.sink.nullsink;

import io.sluice.api.Event;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractBatchSink;
import java.util.List;

/**
 * Takes up to {@code batchSize} events per transaction and commits without sending them anywhere.
 * Answers BACKOFF when the channel had nothing. The transaction and counters are
 * {@link AbstractBatchSink}'s. Called by one runner thread.
 */
public final class NullSink extends AbstractBatchSink {

    public NullSink(String name, String label, int batchSize, SinkCounter counter) {
        super(name, label, batchSize, counter);
    }

    @Override
    protected void deliver(List<Event> events) {
        // dropped on purpose: that is this sink's job
    }
}
