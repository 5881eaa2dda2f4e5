package io.sluice.flume.bridge.adapter;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Source;
import io.sluice.flume.bridge.FlumeCounters;
import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * What the Sluice and Flume sides of a bridged source share: the plugin instance, its
 * {@link BridgeChannelProcessor}, the lifecycle (a plugin that fails to start stays stopped, the
 * agent keeps running) and the batch size for validation. Lifecycle calls are synchronized.
 */
abstract class SourceAdapter implements Source, BatchSizeAware {
    private final String name;
    private final org.apache.flume.Source plugin;
    final PluginCalls calls;
    private final PluginLifecycle lifecycle;
    private volatile ChannelProcessor processor;

    SourceAdapter(String name, org.apache.flume.Source plugin, PluginCalls calls, FlumeCounters counters, Clock clock) {
        this.name = requireNonNull(name, "name is null");
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.lifecycle = new PluginLifecycle(calls, requireNonNull(counters, "counters is null"), clock);
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

    boolean running() {
        return lifecycle.running();
    }

    @Override
    public int batchSize() {
        return PluginLifecycle.batchSize(plugin);
    }

    @Override
    public String toString() {
        return "Flume source " + plugin.getClass().getName() + " [" + calls.label() + "]";
    }
}
