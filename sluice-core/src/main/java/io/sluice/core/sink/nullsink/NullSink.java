package io.sluice.core.sink.nullsink;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractSink;
import java.util.ArrayList;

/**
 * Takes up to {@code batchSize} events per transaction and commits without sending them anywhere.
 * Answers BACKOFF when the channel had nothing. Called by one runner thread.
 */
public final class NullSink extends AbstractSink implements BatchSizeAware {
    private final int batchSize;
    private final SinkCounter counter;
    private final ArrayList<Event> batch;

    public NullSink(String name, int batchSize, SinkCounter counter) {
        super(name);
        this.batchSize = batchSize;
        this.counter = counter;
        this.batch = new ArrayList<>(batchSize);
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    protected void doStart() {
        counter.markStarted(System.currentTimeMillis());
    }

    @Override
    protected void doStop() {
        counter.markStopped(System.currentTimeMillis());
    }

    @Override
    public Status process() {
        int n;
        try (Transaction tx = getChannel().getTransaction()) {
            tx.begin();
            n = tx.takeBatch(batchSize, batch);
            tx.commit();
        } finally {
            batch.clear();
        }
        counter.batch(n, batchSize);
        if (n == 0) {
            return Status.BACKOFF;
        }
        counter.addDrainAttempts(n);
        counter.addDrainSuccesses(n);
        return Status.READY;
    }
}
