package io.sluice.core.runner;

import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Decides which failures of a runner's steps are logged. Only a repeat of the failure last seen is
 * held back, to one line per interval (successes in between do not make it new, so a step that
 * fails every other time does not flood the log); a failure that differs from the one before it
 * (another exception class or another message, numbers aside: a sink that retried a refused batch
 * and now says it cannot go on, a component that was stopped) is never held back.
 * {@link #succeeded()} ends a run of failures and says whether a line of it was logged, so the
 * runner can say that its component works again exactly when it said it did not.
 *
 * <p>Not thread-safe: one runner thread uses it. Time comes from the {@code nanos} supplier.
 */
final class RunnerErrorLog {
    private final long intervalNanos;
    private final LongSupplier nanos;
    /** The failure last seen, as {@link #signature(Throwable)}; null before the first. */
    private String last;
    private long lastLoggedAt;
    private long suppressed;
    private long failuresInRun;
    private boolean runLogged;

    RunnerErrorLog(long intervalNanos, LongSupplier nanos) {
        if (intervalNanos < 0) {
            throw new IllegalArgumentException("intervalNanos: " + intervalNanos + " (expected: >= 0)");
        }
        this.intervalNanos = intervalNanos;
        this.nanos = requireNonNull(nanos, "nanos is null");
    }

    /** A step failed with {@code failure}: whether to log it now. */
    boolean failed(Throwable failure) {
        failuresInRun++;
        String signature = signature(failure);
        long now = nanos.getAsLong();
        boolean changed = !signature.equals(last);
        last = signature;
        if (changed || now - lastLoggedAt >= intervalNanos) {
            lastLoggedAt = now;
            runLogged = true;
            return true;
        }
        suppressed++;
        return false;
    }

    /** How many failures were held back since the last logged one; resets the count. */
    long takeSuppressed() {
        long n = suppressed;
        suppressed = 0;
        return n;
    }

    /**
     * A step succeeded: returns how many failures in a row ended here when one of them was logged,
     * else 0 (the last step did not fail, or every failure of the run was held back as a repeat).
     */
    long succeeded() {
        long n = runLogged ? failuresInRun : 0;
        failuresInRun = 0;
        runLogged = false;
        return n;
    }

    /** The exception's class and message with every run of digits as {@code #}: equal for repeats. */
    static String signature(Throwable failure) {
        String message = failure.getMessage();
        StringBuilder b = new StringBuilder(failure.getClass().getName()).append(": ");
        if (message != null) {
            boolean inDigits = false;
            for (int i = 0; i < message.length(); i++) {
                char c = message.charAt(i);
                if (c >= '0' && c <= '9') {
                    if (!inDigits) {
                        b.append('#');
                    }
                    inDigits = true;
                } else {
                    b.append(c);
                    inDigits = false;
                }
            }
        }
        return b.toString();
    }
}
