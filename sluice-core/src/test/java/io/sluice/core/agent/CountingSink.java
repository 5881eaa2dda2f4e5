package io.sluice.core.agent;

import io.sluice.api.Event;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractBatchSink;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Records every committed batch in a {@link NumberLedger}, taking at most {@code rate} events per
 * second (0: as fast as it can). Driven by one runner thread.
 */
final class CountingSink extends AbstractBatchSink {
    private final NumberLedger ledger;
    private final long nanosPerEvent;
    private long startNanos;
    private long taken;

    CountingSink(String name, String label, int batchSize, long rate, NumberLedger ledger, SinkCounter counter) {
        super(name, label, batchSize, counter);
        this.ledger = ledger;
        this.nanosPerEvent = rate == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / rate;
    }

    @Override
    protected void deliver(List<Event> events) {
        if (nanosPerEvent == 0) {
            return;
        }
        long now = System.nanoTime();
        if (startNanos == 0) {
            startNanos = now;
        }
        long wait = startNanos + taken * nanosPerEvent - now;
        if (wait < -TimeUnit.SECONDS.toNanos(1)) {
            startNanos = now - taken * nanosPerEvent; // fell behind (a slow machine): do not burst to catch up
        } else if (wait > 0) {
            LockSupport.parkNanos(wait);
        }
        taken += events.size();
    }

    @Override
    protected void committed(List<Event> events) {
        ledger.received(events);
    }
}
