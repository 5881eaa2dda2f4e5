package io.sluice.hdfs;

import io.sluice.api.Channel;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.PositionedTransaction;
import io.sluice.api.Transaction;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A real channel whose next commit can be made to fail once, as a crash between a sink's write
 * and its take's commit would: the take is rolled back and the same events are taken again.
 * Thread-safe.
 */
final class FailingCommitChannel implements Channel {
    private final Channel delegate;
    private final AtomicBoolean failNext = new AtomicBoolean();

    FailingCommitChannel(Channel delegate) {
        this.delegate = delegate;
    }

    void failNextCommit() {
        failNext.set(true);
    }

    @Override
    public Transaction getTransaction() {
        PositionedTransaction tx = (PositionedTransaction) delegate.getTransaction();
        return new PositionedTransaction() {
            @Override
            public long[] takenPositions() {
                return tx.takenPositions();
            }

            @Override
            public void begin() {
                tx.begin();
            }

            @Override
            public void put(Event event) {
                tx.put(event);
            }

            @Override
            public Event take() {
                return tx.take();
            }

            @Override
            public int takeBatch(int max, List<? super Event> out) {
                return tx.takeBatch(max, out);
            }

            @Override
            public void commit() {
                if (failNext.compareAndSet(true, false)) {
                    throw new ChannelException("injected: the commit of this take failed");
                }
                tx.commit();
            }

            @Override
            public void rollback() {
                tx.rollback();
            }

            @Override
            public State state() {
                return tx.state();
            }

            @Override
            public void close() {
                tx.close();
            }
        };
    }

    @Override
    public String name() {
        return delegate.name();
    }

    @Override
    public void start() {
        delegate.start();
    }

    @Override
    public void stop() {
        delegate.stop();
    }

    @Override
    public State lifecycleState() {
        return delegate.lifecycleState();
    }
}
