package io.sluice.flume.bridge.adapter;

import io.sluice.api.ChannelException;
import io.sluice.api.Transaction;

/**
 * A Sluice transaction as Apache Flume's {@code Transaction}, bound to the thread that opened it
 * through {@link ChannelView}. Sluice's failures become Flume's {@code ChannelException} so a
 * Flume sink's {@code catch} blocks work. Not thread-safe (one thread owns a transaction).
 */
final class TransactionView implements org.apache.flume.Transaction {
    private final Transaction tx;
    private final ChannelView owner;
    private boolean closed;

    TransactionView(Transaction tx, ChannelView owner) {
        this.tx = tx;
        this.owner = owner;
    }

    Transaction sluice() {
        return tx;
    }

    boolean isClosed() {
        return closed;
    }

    boolean isOpen() {
        return tx.state() == Transaction.State.OPEN;
    }

    @Override
    public void begin() {
        tx.begin();
    }

    @Override
    public void commit() {
        try {
            tx.commit();
        } catch (ChannelException e) {
            throw new org.apache.flume.ChannelException(e.getMessage(), e);
        }
    }

    @Override
    public void rollback() {
        try {
            tx.rollback();
        } catch (ChannelException e) {
            throw new org.apache.flume.ChannelException(e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            tx.close();
        } finally {
            owner.forget(this);
        }
    }
}
