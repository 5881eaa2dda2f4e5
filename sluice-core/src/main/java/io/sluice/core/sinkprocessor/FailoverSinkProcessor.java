package io.sluice.core.sinkprocessor;

import io.sluice.api.EventDeliveryException;
import io.sluice.api.Sink;
import io.sluice.api.Status;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Sends everything through the live sink of highest priority ({@code processor.priority.<sink>},
 * larger is preferred; sinks without one follow in listed order). A sink that throws is set aside
 * for a penalty that starts at one second and doubles with each consecutive failure up to
 * {@code processor.maxpenalty}; when its penalty has passed it is tried again and, on success,
 * takes the traffic back if its priority is higher. When every sink fails, {@link #process()}
 * throws. Driven by one runner thread; time comes from the injected clock.
 */
public final class FailoverSinkProcessor extends StatefulSinkProcessor implements SinkReferences {
    private static final Logger LOG = LoggerFactory.getLogger(FailoverSinkProcessor.class);
    static final long BASE_PENALTY_MILLIS = 1000;

    private final String label;
    private final Map<String, Integer> priorities;
    private final long maxPenaltyMillis;
    private final Clock clock;
    private final List<Entry> entries = new ArrayList<>();

    private static final class Entry {
        final Sink sink;
        final int priority;
        final int order;
        int failures;
        long retryAt;

        Entry(Sink sink, int priority, int order) {
            this.sink = sink;
            this.priority = priority;
            this.order = order;
        }

        boolean live() {
            return failures == 0;
        }
    }

    public FailoverSinkProcessor(String label, Map<String, Integer> priorities, long maxPenaltyMillis, Clock clock) {
        this.label = requireNonNull(label, "label is null");
        this.priorities = new LinkedHashMap<>(priorities);
        this.maxPenaltyMillis = maxPenaltyMillis;
        this.clock = requireNonNull(clock, "clock is null");
    }

    @Override
    public void setSinks(List<Sink> sinks) {
        entries.clear();
        int order = 0;
        for (Sink s : sinks) {
            Integer p = priorities.get(s.name());
            entries.add(new Entry(s, p == null ? Integer.MIN_VALUE + 1000 - order : p, order++));
        }
        entries.sort(Comparator.<Entry>comparingInt(e -> -e.priority).thenComparingInt(e -> e.order));
    }

    /** The sink that gets traffic now: the first live one in priority order, or null. */
    public Sink activeSink() {
        for (Entry e : entries) {
            if (e.live()) {
                return e.sink;
            }
        }
        return null;
    }

    @Override
    public Status process() throws EventDeliveryException {
        long now = clock.millis();
        // Failed sinks of higher priority whose penalty has passed get another chance first.
        for (Entry e : entries) {
            if (e.live()) {
                break;
            }
            if (e.retryAt <= now) {
                try {
                    Status s = e.sink.process();
                    LOG.info("[{}] sink {} recovered after {} failure(s); it takes the traffic again", label,
                            e.sink.name(), e.failures);
                    e.failures = 0;
                    return s;
                } catch (Exception ex) {
                    failed(e, now, ex);
                }
            }
        }
        for (Entry e : entries) {
            if (!e.live()) {
                continue;
            }
            try {
                return e.sink.process();
            } catch (Exception ex) {
                failed(e, now, ex);
            }
        }
        throw new EventDeliveryException("[" + label + "] every sink of the failover group failed; the events stay in "
                + "their channels and are retried");
    }

    private void failed(Entry e, long now, Exception ex) {
        e.failures++;
        long penalty = Math.min(maxPenaltyMillis, BASE_PENALTY_MILLIS << Math.min(30, e.failures - 1));
        e.retryAt = now + penalty;
        Sink next = activeSink();
        LOG.warn("[{}] sink {} failed ({} in a row), retrying it in {} ms; traffic goes to {}: {}", label,
                e.sink.name(), e.failures, penalty, next == null ? "no sink" : next.name(), ex.toString());
    }

    @Override
    public Map<String, String> sinkReferences() {
        Map<String, String> out = new LinkedHashMap<>();
        priorities.keySet().forEach(s -> out.put("priority." + s, s));
        return out;
    }
}
