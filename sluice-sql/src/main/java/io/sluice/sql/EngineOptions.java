package io.sluice.sql;

import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * How an {@link RtsqlEngine} is set up: the directory relative {@code FILE} paths resolve against,
 * the clock that gives arrival times and {@code CURRENT_TIMESTAMP()}, and initial session settings
 * (the same keys {@code SET} takes, e.g. {@code rtsql.slack.time}). Immutable and thread-safe.
 */
public final class EngineOptions {
    private final Path baseDirectory;
    private final Clock clock;
    private final Map<String, String> settings;
    private final List<EventSourceProvider> eventSources;
    private final int flowThreads;
    private final int flowQueueRows;
    private final long flowQueueWaitMillis;

    private EngineOptions(Builder b) {
        this.baseDirectory = b.baseDirectory;
        this.clock = b.clock;
        this.settings = Map.copyOf(b.settings);
        this.eventSources = List.copyOf(b.eventSources);
        this.flowThreads = b.flowThreads < 0 ? 0 : b.flowThreads;
        this.flowQueueRows = b.flowQueueRows;
        this.flowQueueWaitMillis = b.flowQueueWaitMillis;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Defaults: current directory, system UTC clock, no settings. */
    public static EngineOptions defaults() {
        return builder().build();
    }

    public Path baseDirectory() {
        return baseDirectory;
    }

    public Clock clock() {
        return clock;
    }

    /** Initial session settings, key to value. */
    public Map<String, String> settings() {
        return settings;
    }

    /** Providers of NODE and SOURCE streams given to the builder (tried before ServiceLoader's). */
    public List<EventSourceProvider> eventSources() {
        return eventSources;
    }

    /**
     * The threads flows run on: each flow's input is queued and worked off by one of them at a time,
     * so flows run in parallel while each sees its rows in order. 0 (the default) runs each flow on
     * the thread that delivers its input, as an embedded or local engine wants; the server uses its
     * {@code --threads}.
     */
    public int flowThreads() {
        return flowThreads;
    }

    /**
     * The most rows queued for one flow on the pool (default {@value Builder#DEFAULT_FLOW_QUEUE_ROWS});
     * when full, a Java input, FILE or SOURCE stream waits; a NODE stream waits at most
     * {@link #flowQueueWaitMillis()}, then drops for that flow and counts.
     */
    public int flowQueueRows() {
        return flowQueueRows;
    }

    /**
     * How long a NODE stream's batch waits for room in a full flow queue before it is dropped for that
     * flow (default {@value Builder#DEFAULT_FLOW_QUEUE_WAIT_MILLIS} ms).
     */
    public long flowQueueWaitMillis() {
        return flowQueueWaitMillis;
    }

    /** Builds {@link EngineOptions}; not thread-safe. */
    public static final class Builder {
        private Path baseDirectory = Path.of("").toAbsolutePath();
        private Clock clock = Clock.systemUTC();
        private final Map<String, String> settings = new LinkedHashMap<>();
        private final List<EventSourceProvider> eventSources = new ArrayList<>();
        /** Rows queued per flow by default: a few tee batches (1000 events each) of a busy agent. */
        public static final int DEFAULT_FLOW_QUEUE_ROWS = 8192;
        private int flowThreads = -1;
        private int flowQueueRows = DEFAULT_FLOW_QUEUE_ROWS;
        /** How long a tee batch waits for a full flow: long enough for a busy pool, short of the tee's 30 s request timeout. */
        public static final long DEFAULT_FLOW_QUEUE_WAIT_MILLIS = 5_000;
        private long flowQueueWaitMillis = DEFAULT_FLOW_QUEUE_WAIT_MILLIS;

        private Builder() {
        }

        /** Runs flows on a pool of {@code n} threads; 0 runs each on its input's thread. Default: 0. */
        public Builder flowThreads(int n) {
            if (n < 0) {
                throw new IllegalArgumentException("flowThreads: " + n + " (expected: >= 0)");
            }
            this.flowThreads = n;
            return this;
        }

        /** How long a NODE stream's batch waits for a full flow queue before it is dropped for that flow. */
        public Builder flowQueueWaitMillis(long millis) {
            if (millis < 0) {
                throw new IllegalArgumentException("flowQueueWaitMillis: " + millis + " (expected: >= 0)");
            }
            this.flowQueueWaitMillis = millis;
            return this;
        }

        /** Whether {@link #flowThreads(int)} was called (a host then keeps the caller's choice). */
        public boolean hasFlowThreads() {
            return flowThreads >= 0;
        }

        /** The most rows queued for one flow on the pool. Default: {@value #DEFAULT_FLOW_QUEUE_ROWS}. */
        public Builder flowQueueRows(int n) {
            if (n < 1) {
                throw new IllegalArgumentException("flowQueueRows: " + n + " (expected: > 0)");
            }
            this.flowQueueRows = n;
            return this;
        }

        /** Relative FILE paths resolve here. Default: the current working directory. */
        public Builder baseDirectory(Path dir) {
            this.baseDirectory = requireNonNull(dir, "dir is null").toAbsolutePath();
            return this;
        }

        /** The clock for arrival times and CURRENT_TIMESTAMP(). Default: the system UTC clock. */
        public Builder clock(Clock clock) {
            this.clock = requireNonNull(clock, "clock is null");
            return this;
        }

        /** An initial session setting, as {@code SET 'key' = 'value'} would make it. */
        public Builder setting(String key, String value) {
            settings.put(requireNonNull(key, "key is null"), requireNonNull(value, "value is null"));
            return this;
        }

        /** A provider of NODE or SOURCE streams, tried before those found through ServiceLoader. */
        public Builder eventSource(EventSourceProvider provider) {
            eventSources.add(requireNonNull(provider, "provider is null"));
            return this;
        }

        public EngineOptions build() {
            return new EngineOptions(this);
        }
    }
}
