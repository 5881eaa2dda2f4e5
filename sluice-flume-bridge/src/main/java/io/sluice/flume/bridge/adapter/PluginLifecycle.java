package io.sluice.flume.bridge.adapter;

import io.sluice.api.Lifecycle;
import io.sluice.flume.bridge.FlumeCounters;
import java.time.Clock;

import static java.util.Objects.requireNonNull;

/**
 * The lifecycle every bridged component shares: {@code start} runs the plugin's start through
 * {@link PluginCalls} (a failure leaves the component in ERROR, counted, the agent running),
 * {@code stop} stops only a started plugin, and the counters' start and stop times follow.
 * Thread-safe: start and stop are synchronized, the state is volatile.
 */
final class PluginLifecycle {
    private final PluginCalls calls;
    private final FlumeCounters counters;
    private final Clock clock;
    private volatile Lifecycle.State state = Lifecycle.State.IDLE;

    PluginLifecycle(PluginCalls calls, FlumeCounters counters, Clock clock) {
        this.calls = requireNonNull(calls, "calls is null");
        this.counters = counters;
        this.clock = requireNonNull(clock, "clock is null");
    }

    synchronized void start(Runnable pluginStart) {
        state = Lifecycle.State.STARTING;
        if (calls.start(pluginStart)) {
            if (counters != null) {
                counters.markStarted(clock.millis());
            }
            state = Lifecycle.State.STARTED;
        } else {
            state = Lifecycle.State.ERROR;
        }
    }

    synchronized void stop(Runnable pluginStop) {
        if (state == Lifecycle.State.STARTED) {
            state = Lifecycle.State.STOPPING;
            calls.stop(pluginStop);
        }
        if (counters != null) {
            counters.markStopped(clock.millis());
        }
        state = Lifecycle.State.STOPPED;
    }

    Lifecycle.State state() {
        return state;
    }

    boolean running() {
        return state == Lifecycle.State.STARTED;
    }

    /** The batch size a Flume plugin declares through {@code BatchSizeSupported}, else 1 (unknown). */
    static int batchSize(Object plugin) {
        if (plugin instanceof org.apache.flume.conf.BatchSizeSupported) {
            long b = ((org.apache.flume.conf.BatchSizeSupported) plugin).getBatchSize();
            return (int) Math.max(1, Math.min(Integer.MAX_VALUE, b));
        }
        return 1; // the plugin does not say; validation cannot check it
    }
}
