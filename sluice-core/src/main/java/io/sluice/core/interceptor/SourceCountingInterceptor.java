package io.sluice.core.interceptor;

import io.sluice.api.metrics.CounterGroup;

/**
 * An interceptor that counts what it does to bad events (drops, dead letters) among its source's
 * counters, so they show up next to {@code EventReceivedCount} in {@code /metrics}. The agent calls
 * {@link #countIn} once, before the source starts.
 */
public interface SourceCountingInterceptor {

    /** The counters of the source this interceptor belongs to. */
    void countIn(CounterGroup sourceCounters);
}
