package io.sluice.flume.bridge.adapter;

import static java.util.Objects.requireNonNull;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.Channel;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Sink;
import io.sluice.api.Status;
import io.sluice.flume.bridge.FlumeCounters;
import io.sluice.core.support.RateLimitedLog;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Flume sink ({@code AbstractSink} or any {@code Sink}) run by Sluice's sink runner. The plugin
 * reads the Sluice channel through a {@link ChannelView}. After each {@code process()} a
 * transaction the plugin left open is rolled back, so a misbehaving sink loses nothing and blocks
 * nothing. A plugin that failed to start is not called. Called by one runner thread; lifecycle
 * calls are synchronized.
 */
final class SinkAdapter implements Sink, BatchSizeAware {
    private static final Logger LOG = LoggerFactory.getLogger(SinkAdapter.class);

    private final String name;
    private final org.apache.flume.Sink plugin;
    private final PluginCalls calls;
    private final FlumeCounters counters;
    private final Clock clock;
    private volatile Channel channel;
    private volatile ChannelView view;
    private volatile State state = State.IDLE;
    private final RateLimitedLog abandonLog = new RateLimitedLog(Duration.ofSeconds(10));

    SinkAdapter(String name, org.apache.flume.Sink plugin, PluginCalls calls, FlumeCounters counters, Clock clock) {
        this.name = requireNonNull(name, "name is null");
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setChannel(Channel newChannel) {
        this.channel = requireNonNull(newChannel, "channel is null");
        ChannelView v = new ChannelView(newChannel);
        this.view = v;
        calls.run(() -> plugin.setChannel(v));
    }

    @Override
    public Channel getChannel() {
        return channel;
    }

    @Override
    public Status process() throws EventDeliveryException {
        if (state != State.STARTED) {
            return Status.BACKOFF;
        }
        try {
            org.apache.flume.Sink.Status s = calls.process(plugin::process);
            return s == org.apache.flume.Sink.Status.READY ? Status.READY : Status.BACKOFF;
        } finally {
            ChannelView v = view;
            if (v != null && v.abandonOpenTransaction() && abandonLog.allow()) {
                long held = abandonLog.takeSuppressed();
                LOG.warn("[{}] Flume sink {} left its transaction open; rolled it back so its events stay in the"
                        + " channel{}", calls.label(), plugin.getClass().getName(),
                        held > 0 ? " (" + held + " more times since the last warning)" : "");
            }
        }
    }

    @Override
    public synchronized void start() {
        state = State.STARTING;
        if (calls.start(plugin::start)) {
            counters.markStarted(clock.millis());
            state = State.STARTED;
        } else {
            state = State.ERROR;
        }
    }

    @Override
    public synchronized void stop() {
        if (state == State.STARTED) {
            state = State.STOPPING;
            calls.stop(plugin::stop);
        }
        counters.markStopped(clock.millis());
        state = State.STOPPED;
    }

    @Override
    public State lifecycleState() {
        return state;
    }

    @Override
    public int batchSize() {
        if (plugin instanceof org.apache.flume.conf.BatchSizeSupported) {
            long b = ((org.apache.flume.conf.BatchSizeSupported) plugin).getBatchSize();
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, b));
        }
        return 1;
    }

    @Override
    public String toString() {
        return "Flume sink " + plugin.getClass().getName() + " [" + calls.label() + "]";
    }
}
