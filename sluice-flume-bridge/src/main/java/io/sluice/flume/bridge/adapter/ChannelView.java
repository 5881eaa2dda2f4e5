package io.sluice.flume.bridge.adapter;

import io.sluice.api.Channel;
import io.sluice.api.ChannelFullException;
import io.sluice.api.Event;
import io.sluice.api.Lifecycle;
import org.apache.flume.ChannelException;
import org.apache.flume.lifecycle.LifecycleState;

import static java.util.Objects.requireNonNull;

/**
 * A Sluice channel as Apache Flume's {@code Channel}, with Flume's thread-bound transaction
 * semantics: {@code getTransaction()} returns the calling thread's transaction until it is closed,
 * and {@code put}/{@code take} act in it. What a Flume sink takes is an {@link EventView} over the
 * Sluice event, not a copy. The agent, not the plugin, starts and stops the channel. Thread-safe.
 */
final class ChannelView implements org.apache.flume.Channel {
    private final Channel channel;
    private final ThreadLocal<TransactionView> current = new ThreadLocal<>();

    ChannelView(Channel channel) {
        this.channel = requireNonNull(channel, "channel is null");
    }

    Channel sluice() {
        return channel;
    }

    @Override
    public org.apache.flume.Transaction getTransaction() {
        TransactionView t = current.get();
        if (t == null || t.isClosed()) {
            t = new TransactionView(channel.getTransaction(), this);
            current.set(t);
        }
        return t;
    }

    void forget(TransactionView t) {
        if (current.get() == t) {
            current.remove();
        }
    }

    /**
     * Rolls back and closes a transaction the plugin left open on this thread (a sink that threw
     * half-way), so its events return to the channel. Returns whether there was one.
     */
    boolean abandonOpenTransaction() {
        TransactionView t = current.get();
        if (t == null) {
            return false;
        }
        boolean open = t.isOpen();
        t.close();
        return open;
    }

    private TransactionView open() {
        TransactionView t = current.get();
        if (t == null || !t.isOpen()) {
            throw new IllegalStateException("No transaction exists for this thread");
        }
        return t;
    }

    @Override
    public void put(org.apache.flume.Event event) throws ChannelException {
        try {
            open().sluice().put(Events.toSluice(event));
        } catch (ChannelFullException e) {
            throw new org.apache.flume.ChannelFullException(e.getMessage(), e);
        } catch (io.sluice.api.ChannelException e) {
            throw new ChannelException(e.getMessage(), e);
        }
    }

    @Override
    public org.apache.flume.Event take() throws ChannelException {
        Event e;
        try {
            e = open().sluice().take();
        } catch (io.sluice.api.ChannelException ex) {
            throw new ChannelException(ex.getMessage(), ex);
        }
        return e == null ? null : new EventView(e);
    }

    @Override
    public void setName(String name) {
        // the channel's name comes from the Sluice configuration
    }

    @Override
    public String getName() {
        return channel.name();
    }

    @Override
    public void start() {
    }

    @Override
    public void stop() {
    }

    @Override
    public LifecycleState getLifecycleState() {
        return Lifecycles.toFlume(channel.lifecycleState());
    }

    @Override
    public String toString() {
        return "Sluice channel " + channel.name();
    }

    static final class Lifecycles {
        private Lifecycles() {
        }

        static LifecycleState toFlume(Lifecycle.State s) {
            switch (s) {
                case STARTED:
                case STARTING:
                    return LifecycleState.START;
                case STOPPED:
                case STOPPING:
                    return LifecycleState.STOP;
                case ERROR:
                    return LifecycleState.ERROR;
                default:
                    return LifecycleState.IDLE;
            }
        }
    }
}
