package io.sluice.flume.bridge.adapter;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.Channel;
import io.sluice.api.EventDeliveryException;
import io.sluice.api.Sink;
import io.sluice.api.Status;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.flume.bridge.FlumeCounters;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

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
    private final PluginLifecycle lifecycle;
    private volatile Channel channel;
    private volatile ChannelView view;
    private final RateLimitedLog abandonLog = new RateLimitedLog(Duration.ofSeconds(10));

    SinkAdapter(String name, org.apache.flume.Sink plugin, PluginCalls calls, FlumeCounters counters, Clock clock) {
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
        if (!lifecycle.running()) {
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

    @Override
    public int batchSize() {
        return PluginLifecycle.batchSize(plugin);
    }

    @Override
    public String toString() {
        return "Flume sink " + plugin.getClass().getName() + " [" + calls.label() + "]";
    }
}
