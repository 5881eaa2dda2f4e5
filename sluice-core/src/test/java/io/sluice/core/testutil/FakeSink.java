package io.sluice.core.testutil;

import io.sluice.api.Event;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Status;
import io.sluice.api.Transaction;
import io.sluice.core.support.AbstractSink;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A hand-written sink for tests of the things around sinks (processors, runners): takes up to 10
 * events, then either commits and records them or, while {@link #failing} is set, rolls back and
 * throws.
 */
public final class FakeSink extends AbstractSink {
    public volatile boolean failing;
    public final List<String> bodies = new CopyOnWriteArrayList<>();
    public volatile int calls;

    public FakeSink(String name) {
        super(name);
    }

    @Override
    public Status process() throws EventDeliveryException {
        calls++;
        List<Event> batch = new ArrayList<>();
        try (Transaction tx = getChannel().getTransaction()) {
            tx.begin();
            tx.takeBatch(10, batch);
            if (failing) {
                tx.rollback();
                throw new EventDeliveryException(name() + " is failing");
            }
            tx.commit();
        }
        batch.forEach(e -> bodies.add(e.bodyAsString()));
        return batch.isEmpty() ? Status.BACKOFF : Status.READY;
    }
}
