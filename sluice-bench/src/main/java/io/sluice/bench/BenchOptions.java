package io.sluice.bench;

import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * How long and how often to measure, and the JVM options every child JVM gets (the same for
 * Sluice and the peer). Immutable.
 *
 * @param runs          runs per side (default 3), alternated peer, Sluice, peer, Sluice, ...
 * @param warmupSeconds seconds a process runs before its measurement window opens (default 5)
 * @param windowSeconds length of the measurement window in seconds (default 10)
 * @param jvmOptions    options for every child JVM (default {@code -Xms2g -Xmx2g})
 * @param spoolBytes    size of the file the {@code files} scenario's spooldir reads (default 1 GiB;
 *                      {@code --spool-mb})
 */
public record BenchOptions(int runs, int warmupSeconds, int windowSeconds, List<String> jvmOptions,
        long spoolBytes) {

    public static final List<String> DEFAULT_JVM_OPTIONS = List.of("-Xms2g", "-Xmx2g");
    public static final long DEFAULT_SPOOL_BYTES = 1L << 30;

    public BenchOptions {
        if (runs < 1) {
            throw new IllegalArgumentException("runs: " + runs + " (expected: > 0)");
        }
        if (warmupSeconds < 0) {
            throw new IllegalArgumentException("warmupSeconds: " + warmupSeconds + " (expected: >= 0)");
        }
        if (windowSeconds < 1) {
            throw new IllegalArgumentException("windowSeconds: " + windowSeconds + " (expected: > 0)");
        }
        jvmOptions = List.copyOf(requireNonNull(jvmOptions, "jvmOptions is null"));
        if (spoolBytes < 1) {
            throw new IllegalArgumentException("spoolBytes: " + spoolBytes + " (expected: > 0)");
        }
    }

    public BenchOptions(int runs, int warmupSeconds, int windowSeconds, List<String> jvmOptions) {
        this(runs, warmupSeconds, windowSeconds, jvmOptions, DEFAULT_SPOOL_BYTES);
    }

    public static BenchOptions defaults() {
        return new BenchOptions(3, 5, 10, DEFAULT_JVM_OPTIONS);
    }
}
