package io.sluice.flume.bridge.adapter;

import static java.util.Objects.requireNonNull;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Source;
import io.sluice.flume.bridge.FlumeCounters;
import java.time.Clock;

/**
 * What the Sluice and Flume sides of a bridged source share: the plugin instance, its
 * {@link BridgeChannelProcessor}, the lifecycle (a plugin that fails to start stays stopped, the
 * agent keeps running) and the batch size for validation. Lifecycle calls are synchronized.
 */
abstract class SourceAdapter implements Source, BatchSizeAware {
    private final String name;
    private final org.apache.flume.Source plugin;
    final PluginCalls calls;
    private final FlumeCounters counters;
    private final Clock clock;
    private volatile ChannelProcessor processor;
    private volatile State state = State.IDLE;

    SourceAdapter(String name, org.apache.flume.Source plugin, PluginCalls calls, FlumeCounters counters, Clock clock) {
        this.name = requireNonNull(name, "name is null");
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.clock = requireNonNull(clock, "clock is null");
    }

    org.apache.flume.Source plugin() {
        return plugin;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public void setChannelProcessor(ChannelProcessor channelProcessor) {
        this.processor = requireNonNull(channelProcessor, "channelProcessor is null");
        BridgeChannelProcessor bridge = new BridgeChannelProcessor(channelProcessor);
        calls.run(() -> plugin.setChannelProcessor(bridge));
    }

    @Override
    public ChannelProcessor getChannelProcessor() {
        return processor;
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

    boolean running() {
        return state == State.STARTED;
    }

    @Override
    public int batchSize() {
        if (plugin instanceof org.apache.flume.conf.BatchSizeSupported) {
            long b = ((org.apache.flume.conf.BatchSizeSupported) plugin).getBatchSize();
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, b));
        }
        return 1; // the plugin does not say; validation cannot check it
    }

    @Override
    public String toString() {
        return "Flume source " + plugin.getClass().getName() + " [" + calls.label() + "]";
    }
}
