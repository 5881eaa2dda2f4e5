package io.sluice.flume.bridge.adapter;

import io.sluice.api.BasicTransaction;
import io.sluice.api.Channel;
import io.sluice.api.ChannelException;
import io.sluice.api.ChannelFullException;
import io.sluice.api.Event;
import io.sluice.api.Transaction;
import io.sluice.flume.bridge.FlumeCounters;
import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * A Flume channel ({@code AbstractChannel}, {@code BasicChannelSemantics}, or any
 * {@code Channel}) used by Sluice sources and sinks. Each Sluice transaction drives the plugin's
 * thread-bound transaction on the same thread; events go in as {@link EventView}s and come out
 * as the Sluice events they were when nothing changed them. Thread-safe as far as the plugin is.
 */
final class ChannelAdapter implements Channel {
    private final String name;
    private final org.apache.flume.Channel plugin;
    private final PluginCalls calls;
    private final PluginLifecycle lifecycle;

    ChannelAdapter(String name, org.apache.flume.Channel plugin, PluginCalls calls, FlumeCounters counters,
            Clock clock) {
        this.name = requireNonNull(name, "name is null");
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.lifecycle = new PluginLifecycle(calls, requireNonNull(counters, "counters is null"), clock);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Transaction getTransaction() {
        return new FlumeTransaction();
    }

    @Override
    public void start() {
        lifecycle.start(plugin::start);
    }

    @Override
    public void stop() {
        lifecycle.stop(plugin::stop);
    }

    @Override
    public State lifecycleState() {
        return lifecycle.state();
    }

    /** One Sluice transaction over the plugin's transaction of the calling thread. */
    private final class FlumeTransaction extends BasicTransaction {
        private org.apache.flume.Transaction tx;

        @Override
        protected void doBegin() {
            if (!lifecycle.running()) {
                throw new ChannelException("Flume channel " + plugin.getClass().getName() + " [" + calls.label()
                        + "] is not running (state " + lifecycle.state() + ")");
            }
            tx = plugin.getTransaction();
            tx.begin();
        }

        @Override
        protected void doPut(Event event) {
            try {
                plugin.put(new EventView(event));
            } catch (org.apache.flume.ChannelFullException e) {
                throw new ChannelFullException("[" + calls.label() + "] " + e.getMessage());
            } catch (org.apache.flume.ChannelException e) {
                throw new ChannelException("[" + calls.label() + "] " + e.getMessage(), e);
            }
        }

        @Override
        protected Event doTake() {
            org.apache.flume.Event e;
            try {
                e = plugin.take();
            } catch (org.apache.flume.ChannelException ex) {
                throw new ChannelException("[" + calls.label() + "] " + ex.getMessage(), ex);
            }
            return e == null ? null : Events.toSluice(e);
        }

        @Override
        protected void doCommit() {
            try {
                tx.commit();
            } catch (org.apache.flume.ChannelFullException e) {
                throw new ChannelFullException("[" + calls.label() + "] " + e.getMessage());
            } catch (org.apache.flume.ChannelException e) {
                throw new ChannelException("[" + calls.label() + "] " + e.getMessage(), e);
            }
        }

        @Override
        protected void doRollback() {
            if (tx != null) {
                tx.rollback();
            }
        }

        @Override
        protected void doClose() {
            if (tx != null) {
                tx.close();
            }
        }
    }
}
