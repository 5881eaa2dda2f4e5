package io.sluice.core.agent;

import io.sluice.api.Event;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.core.support.AbstractBatchSink;
import java.util.List;

/** Records every committed batch in a {@link NumberLedger}. Driven by one runner thread. */
final class CountingSink extends AbstractBatchSink {
    private final NumberLedger ledger;

    CountingSink(String name, String label, int batchSize, NumberLedger ledger, SinkCounter counter) {
        super(name, label, batchSize, counter);
        this.ledger = ledger;
    }

    @Override
    protected void deliver(List<Event> events) {
    }

    @Override
    protected void committed(List<Event> events) {
        ledger.received(events);
    }
}
