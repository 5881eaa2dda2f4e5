package io.sluice.flume.bridge.adapter;

import io.sluice.api.EventDeliveryException;
import io.sluice.api.Sink;
import io.sluice.api.SinkProcessor;
import io.sluice.api.Status;
import io.sluice.api.config.ComponentContext;
import java.util.ArrayList;
import java.util.List;
import org.apache.flume.Context;

import static java.util.Objects.requireNonNull;

/**
 * A Flume {@code SinkProcessor} driving a Sluice sink group. As in Apache Flume, the processor
 * gets its sinks before its configuration (Flume's processors read their sinks while
 * configuring); a failure there is reported as a problem of the {@code processor.*} keys. Called by
 * the group's runner thread; lifecycle calls are synchronized.
 */
final class SinkProcessorAdapter implements SinkProcessor {
    private final org.apache.flume.SinkProcessor plugin;
    private final ComponentContext context;
    private final Context flumeContext;
    private final PluginCalls calls;
    private final PluginLifecycle lifecycle;

    SinkProcessorAdapter(org.apache.flume.SinkProcessor plugin, ComponentContext context, Context flumeContext,
            PluginCalls calls) {
        this.plugin = requireNonNull(plugin, "plugin is null");
        this.context = requireNonNull(context, "context is null");
        this.flumeContext = requireNonNull(flumeContext, "flumeContext is null");
        this.calls = requireNonNull(calls, "calls is null");
        this.lifecycle = new PluginLifecycle(calls, null, java.time.Clock.systemUTC());
    }

    @Override
    public void setSinks(List<Sink> sinks) {
        List<org.apache.flume.Sink> views = new ArrayList<>();
        for (Sink s : sinks) {
            views.add(new SinkView(s));
        }
        calls.configureLate(context, () -> {
            plugin.setSinks(views);
            plugin.configure(flumeContext);
        });
    }

    @Override
    public Status process() throws EventDeliveryException {
        if (!lifecycle.running()) {
            return Status.BACKOFF;
        }
        org.apache.flume.Sink.Status s = calls.process(plugin::process);
        return s == org.apache.flume.Sink.Status.READY ? Status.READY : Status.BACKOFF;
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
}
