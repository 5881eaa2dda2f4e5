package io.sluice.flume.bridge.adapter;

import io.sluice.api.EventDeliveryException;
import io.sluice.api.PollableSource;
import io.sluice.api.Status;
import io.sluice.flume.bridge.FlumeCounters;
import java.time.Clock;

/**
 * A Flume {@code PollableSource}: Sluice's runner calls {@code process()} with the plugin's own
 * back-off settings ({@code getBackOffSleepIncrement}, {@code getMaxBackOffSleepInterval}). Called
 * by one runner thread.
 */
final class PollableSourceAdapter extends SourceAdapter implements PollableSource {
    private final org.apache.flume.PollableSource pollable;

    PollableSourceAdapter(String name, org.apache.flume.PollableSource plugin, PluginCalls calls,
            FlumeCounters counters, Clock clock) {
        super(name, plugin, calls, counters, clock);
        this.pollable = plugin;
    }

    @Override
    public Status process() throws EventDeliveryException {
        if (!running()) {
            return Status.BACKOFF;
        }
        org.apache.flume.PollableSource.Status s = calls.process(pollable::process);
        return s == org.apache.flume.PollableSource.Status.READY ? Status.READY : Status.BACKOFF;
    }

    @Override
    public long backOffSleepIncrementMillis() {
        long v = pollable.getBackOffSleepIncrement();
        return v > 0 ? v : PollableSource.super.backOffSleepIncrementMillis();
    }

    @Override
    public long maxBackOffSleepMillis() {
        long v = pollable.getMaxBackOffSleepInterval();
        return v > 0 ? v : PollableSource.super.maxBackOffSleepMillis();
    }
}
