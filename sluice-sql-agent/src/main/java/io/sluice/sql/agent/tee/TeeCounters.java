package io.sluice.sql.agent.tee;

import io.sluice.api.metrics.CounterGroup;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The tee's counters in the agent's metrics, group {@code TEE.rtsql} ({@code /metrics} key
 * {@code TEE.rtsql}): {@code EventTeedCount} (events the server acknowledged),
 * {@code EventDroppedCount} (events a tap dropped because its queue was full, plus those of
 * requests that failed), {@code FormatFallbackCount} (registrations whose server refused the binary
 * tee form, so that their tees went on as ndjson), {@code CpuBudgetPausedMillis} (how long tee threads
 * paused to keep within their CPU budget, while their taps dropped what they could not hold), and the gauges {@code Registered} (1 while the registration is open) and
 * {@code OpenTeeCount}. Thread-safe.
 */
public final class TeeCounters {
    public static final String TYPE = "TEE";
    public static final String NAME = "rtsql";
    public static final String TEED = "EventTeedCount";
    public static final String DROPPED = "EventDroppedCount";
    public static final String FORMAT_FALLBACK = "FormatFallbackCount";
    public static final String PAUSED = "CpuBudgetPausedMillis";
    public static final String REGISTERED = "Registered";
    public static final String OPEN = "OpenTeeCount";

    private final CounterGroup group = new CounterGroup(TYPE, NAME, TEED, DROPPED, FORMAT_FALLBACK, PAUSED);

    private final AtomicLong pausedNanos = new AtomicLong();

    TeeCounters() {
        group.gauge(REGISTERED);
        group.gauge(OPEN);
    }

    /** The group to register in the agent's counter registry. */
    public CounterGroup group() {
        return group;
    }

    void sent(long n) {
        group.counter(TEED).add(n);
    }

    void lost(long n) {
        group.counter(DROPPED).add(n);
    }

    void formatFallback() {
        group.counter(FORMAT_FALLBACK).add(1);
    }

    void paused(long nanos) {
        long before = pausedNanos.getAndAdd(nanos);
        long millis = TimeUnit.NANOSECONDS.toMillis(before + nanos) - TimeUnit.NANOSECONDS.toMillis(before);
        if (millis > 0) {
            group.counter(PAUSED).add(millis);
        }
    }

    void registered(boolean yes) {
        group.gauge(REGISTERED).set(yes ? 1 : 0);
    }

    void open(int n) {
        group.gauge(OPEN).set(n);
    }

    public long dropped() {
        return group.get(DROPPED);
    }

    public long formatFallbacks() {
        return group.get(FORMAT_FALLBACK);
    }

    public long pausedMillis() {
        return group.get(PAUSED);
    }

    public long teed() {
        return group.get(TEED);
    }
}
