package io.sluice.core.sinkprocessor;

import io.sluice.api.Sink;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

import static java.util.Objects.requireNonNull;

/**
 * The built-in selectors: {@code round_robin} (each attempt starts one sink further) and
 * {@code random} (a fresh shuffle per attempt). With backoff on, a sink that failed is left out
 * for one second, doubling per consecutive failure up to {@code maxTimeOut}. If every sink is
 * backing off, all are tried rather than none. Called by one runner thread.
 */
public final class BackoffSinkSelector implements SinkSelector {
    private final boolean random;
    private final boolean backoff;
    private final long maxTimeoutMillis;
    private final Clock clock;
    private final Random rnd = new Random();
    private List<Sink> sinks = List.of();
    private long[] restoreAt = new long[0];
    private int[] failures = new int[0];
    private int next;

    public BackoffSinkSelector(boolean random, boolean backoff, long maxTimeoutMillis, Clock clock) {
        this.random = random;
        this.backoff = backoff;
        this.maxTimeoutMillis = maxTimeoutMillis;
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void setSinks(List<Sink> list) {
        sinks = List.copyOf(list);
        restoreAt = new long[sinks.size()];
        failures = new int[sinks.size()];
    }

    @Override
    public void idle() {
        if (!random && next > 0) {
            next--;
        }
    }

    @Override
    public Iterator<Sink> order() {
        long now = clock.millis();
        List<Integer> active = new ArrayList<>();
        for (int i = 0; i < sinks.size(); i++) {
            if (restoreAt[i] <= now) {
                active.add(i);
            }
        }
        if (active.isEmpty()) {
            for (int i = 0; i < sinks.size(); i++) {
                active.add(i);
            }
        }
        List<Sink> out = new ArrayList<>(active.size());
        if (random) {
            Collections.shuffle(active, rnd);
            for (int i : active) {
                out.add(sinks.get(i));
            }
        } else {
            int start = next++ % active.size();
            if (next >= Integer.MAX_VALUE / 2) {
                next = 0;
            }
            for (int k = 0; k < active.size(); k++) {
                out.add(sinks.get(active.get((start + k) % active.size())));
            }
        }
        return out.iterator();
    }

    @Override
    public void failed(Sink sink) {
        int i = sinks.indexOf(sink);
        if (i < 0 || !backoff) {
            return;
        }
        failures[i]++;
        restoreAt[i] = clock.millis() + Math.min(maxTimeoutMillis,
                FailoverSinkProcessor.BASE_PENALTY_MILLIS << Math.min(30, failures[i] - 1));
    }

    @Override
    public void succeeded(Sink sink) {
        int i = sinks.indexOf(sink);
        if (i >= 0) {
            failures[i] = 0;
            restoreAt[i] = 0;
        }
    }

    /** When the sink may be tried again (epoch millis of the clock), 0 if it is not backing off. */
    public long restoreAt(Sink sink) {
        int i = sinks.indexOf(sink);
        return i < 0 ? 0 : restoreAt[i];
    }
}
