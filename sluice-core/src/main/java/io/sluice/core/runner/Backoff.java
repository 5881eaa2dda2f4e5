package io.sluice.core.runner;

import java.time.Duration;

/**
 * How long a runner waits after {@code BACKOFF} (increment times the number of consecutive
 * backoffs, at most max) and after an error (max). Apache Flume's defaults are 1 s and 5 s.
 * Immutable.
 */
public final class Backoff {
    public static final Backoff FLUME_DEFAULT = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(5));

    private final long incrementMillis;
    private final long maxMillis;

    public Backoff(Duration increment, Duration max) {
        if (increment.isNegative() || max.isNegative()) {
            throw new IllegalArgumentException("backoff: " + increment + "/" + max + " (expected: >= 0)");
        }
        this.incrementMillis = increment.toMillis();
        this.maxMillis = max.toMillis();
    }

    public long incrementMillis() {
        return incrementMillis;
    }

    public long maxMillis() {
        return maxMillis;
    }

    /** The wait after {@code consecutive} backoffs in a row (1 or more). */
    public long afterBackoffs(long consecutive) {
        return Math.min(maxMillis, incrementMillis * Math.max(1, consecutive));
    }
}
