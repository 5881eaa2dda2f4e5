package io.sluice.sql.agent.tee;

import java.util.function.LongSupplier;

/**
 * Keeps the CPU time of one tee's thread within a share of one core: a token bucket filled at
 * {@code share} nanoseconds of CPU per nanosecond of wall time (holding at most {@link #BURST} of
 * it), from which the CPU the thread used is taken. When the bucket is in debt the thread pauses
 * until the debt is paid; what its tap cannot hold meanwhile is dropped and counted like any full
 * tap. A tee that sends little (a slow source) never reaches its share and never pauses. Not
 * thread-safe: used by its sender's thread only.
 */
final class CpuBudget {
    /** The share of one core a tee may use unless configured: 0.1. */
    static final double DEFAULT_SHARE = 0.1;
    /** The wall time whose budget an idle tee may save up: 100 ms. */
    static final long BURST = 100_000_000L;

    private final double share;
    private final LongSupplier cpuNanos;
    private final LongSupplier wallNanos;
    private long lastCpu;
    private long lastWall;
    private double credit;

    /**
     * @param share     the share of one core, above 0 and at most 1 (1: never pauses)
     * @param cpuNanos  the thread's CPU time so far, in nanoseconds
     * @param wallNanos a monotonic clock, in nanoseconds
     */
    CpuBudget(double share, LongSupplier cpuNanos, LongSupplier wallNanos) {
        this.share = checkShare(share, "share");
        this.cpuNanos = cpuNanos;
        this.wallNanos = wallNanos;
        this.lastCpu = cpuNanos.getAsLong();
        this.lastWall = wallNanos.getAsLong();
    }

    /** Returns {@code share} when it is a share of one core (above 0, at most 1); otherwise throws naming {@code what}. */
    static double checkShare(double share, String what) {
        if (!(share > 0 && share <= 1)) {
            throw new IllegalArgumentException(what + ": " + share + " (expected: > 0 and <= 1, a share of one core, "
                    + "e.g. 0.1)");
        }
        return share;
    }

    double share() {
        return share;
    }

    /**
     * Takes the CPU time used since the last call from the bucket; returns how long the thread must
     * pause (nanoseconds, 0 for none) to stay within its share.
     */
    long charge() {
        long cpu = cpuNanos.getAsLong();
        long wall = wallNanos.getAsLong();
        credit = Math.min(credit + share * (wall - lastWall), share * BURST) - (cpu - lastCpu);
        lastCpu = cpu;
        lastWall = wall;
        if (credit >= 0 || share >= 1) {
            return 0;
        }
        return (long) Math.ceil(-credit / share);
    }
}
