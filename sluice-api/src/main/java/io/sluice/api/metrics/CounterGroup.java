package io.sluice.api.metrics;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import static java.util.Objects.requireNonNull;

/**
 * The counters of one component, e.g. type {@code CHANNEL}, name {@code c1}. Counters are
 * {@link LongAdder}s for rates and {@link AtomicLong}s for gauges; both are created on first use.
 * Thread-safe.
 */
public class CounterGroup {
    /** What the snapshot appends to a latency's key for its 99th percentile in milliseconds. */
    public static final String P99_MS_SUFFIX = "P99Ms";

    private final String type;
    private final String name;
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
    private final Map<String, Boolean> order = new ConcurrentSkipListMap<>();
    private final Map<String, LatencyHistogram> latencies = new ConcurrentSkipListMap<>();
    private volatile long startTime;
    private volatile long stopTime;

    public CounterGroup(String type, String name, String... counterNames) {
        this.type = requireNonNull(type, "type is null");
        this.name = requireNonNull(name, "name is null");
        for (String c : counterNames) {
            counter(c);
        }
    }

    /** {@code SOURCE}, {@code CHANNEL}, {@code SINK} or another upper-case kind. */
    public String type() {
        return type;
    }

    public String name() {
        return name;
    }

    /** A monotonic counter, created at 0 on first use. */
    public LongAdder counter(String counterName) {
        return counters.computeIfAbsent(counterName, k -> {
            order.put(k, Boolean.TRUE);
            return new LongAdder();
        });
    }

    /** A gauge (a value that goes up and down), created at 0 on first use. */
    public AtomicLong gauge(String gaugeName) {
        return gauges.computeIfAbsent(gaugeName, k -> {
            order.put(k, Boolean.TRUE);
            return new AtomicLong();
        });
    }

    /**
     * A latency histogram, created on first use, e.g. {@code PutCommitLatency}. The snapshot shows its
     * 99th percentile of roughly the last minute as {@code <key>P99Ms}; {@code /prometheus} shows the
     * whole histogram.
     */
    public LatencyHistogram latency(String key) {
        return latencies.computeIfAbsent(key, k -> LatencyHistogram.create(type, name, k));
    }

    /** The latency histograms by key, sorted by key. */
    public Map<String, LatencyHistogram> latencies() {
        return Collections.unmodifiableMap(latencies);
    }

    /** Whether {@code name} is a monotonically increasing counter (as opposed to a gauge). */
    public boolean isCounter(String name) {
        return counters.containsKey(name);
    }

    public long get(String counterName) {
        LongAdder c = counters.get(counterName);
        if (c != null) {
            return c.sum();
        }
        AtomicLong g = gauges.get(counterName);
        return g == null ? 0 : g.get();
    }

    public void markStarted(long epochMillis) {
        startTime = epochMillis;
        stopTime = 0;
    }

    public void markStopped(long epochMillis) {
        stopTime = epochMillis;
    }

    public long startTime() {
        return startTime;
    }

    public long stopTime() {
        return stopTime;
    }

    /**
     * Every counter and gauge by name, sorted by name, then the 99th percentile of each latency
     * ({@code PutCommitLatencyP99Ms}), plus {@code StartTime} and {@code StopTime};
     * subclasses add derived values (e.g. {@code ChannelFillPercentage}) in {@link #derived}.
     */
    public Map<String, Number> snapshot() {
        Map<String, Number> out = new LinkedHashMap<>();
        for (String k : order.keySet()) {
            out.put(k, get(k));
        }
        for (Map.Entry<String, LatencyHistogram> e : latencies.entrySet()) {
            out.put(e.getKey() + P99_MS_SUFFIX, e.getValue().p99Millis());
        }
        derived(out);
        out.put("StartTime", startTime);
        out.put("StopTime", stopTime);
        return out;
    }

    /** Adds values computed from others; the default adds nothing. */
    protected void derived(Map<String, Number> out) {
    }
}
