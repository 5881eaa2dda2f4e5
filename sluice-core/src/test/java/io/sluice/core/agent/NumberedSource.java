package io.sluice.core.agent;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.AbstractPollableSource;
import io.sluice.core.source.support.PollBackoff;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Puts batches of events numbered by a {@link NumberLedger} (header {@code n}), paced to a rate;
 * a batch the channel commits is recorded as committed, a refused one is not (its numbers are
 * never used again). Called by one runner thread.
 */
final class NumberedSource extends AbstractPollableSource implements BatchSizeAware {
    private static final byte[] BODY = "numbered".getBytes(StandardCharsets.US_ASCII);
    private final int batchSize;
    private final long nanosPerEvent;
    private final NumberLedger ledger;
    private final SourceCounter counter;
    private long startNanos;
    private long sent;

    NumberedSource(String name, int batchSize, long rate, NumberLedger ledger, SourceCounter counter) {
        super(name, PollBackoff.FLUME_DEFAULT);
        this.batchSize = batchSize;
        this.nanosPerEvent = TimeUnit.SECONDS.toNanos(1) / rate;
        this.ledger = ledger;
        this.counter = counter;
    }

    @Override
    public int batchSize() {
        return batchSize;
    }

    @Override
    protected void doStart() {
        startNanos = System.nanoTime();
    }

    @Override
    public Status process() {
        long due = startNanos + sent * nanosPerEvent;
        long now = System.nanoTime();
        long wait = due - now;
        if (wait < -TimeUnit.SECONDS.toNanos(1)) {
            startNanos = now - sent * nanosPerEvent; // fell behind (a slow machine): do not burst to catch up
        } else if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        long first = ledger.take(batchSize);
        List<Event> batch = new ArrayList<>(batchSize);
        for (int i = 0; i < batchSize; i++) {
            batch.add(Event.builder().header(NumberLedger.NUMBER_HEADER, Long.toString(first + i)).body(BODY)
                    .build());
        }
        sent += batchSize;
        counter.addReceived(batchSize);
        try {
            getChannelProcessor().processEventBatch(batch);
        } catch (ChannelException e) {
            counter.incrementChannelWriteFail();
            return Status.BACKOFF;
        }
        ledger.committed(first, batchSize);
        counter.addAccepted(batchSize);
        return Status.READY;
    }
}
