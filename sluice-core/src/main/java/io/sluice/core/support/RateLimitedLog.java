package io.sluice.core.support;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;

import static java.util.Objects.requireNonNull;

/**
 * Lets one log line through per interval and counts the ones it held back, so a repeated error
 * does not flood the log. Either ask {@link #allow()} and log yourself, or, when built with a
 * logger, call {@link #warn(String, Object...)}, which adds how many similar lines were suppressed.
 * Thread-safe (lock-free).
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalNanos;
    private final LongSupplier nanos;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    /** A gate for {@link #allow()}, timed by {@link System#nanoTime()}. */
    public RateLimitedLog(Duration interval) {
        this(null, interval.toNanos(), System::nanoTime);
    }

    /** Warns through {@code log} at most once per {@code intervalMillis} of {@code clock}'s time. */
    public RateLimitedLog(Logger log, long intervalMillis, Clock clock) {
        this(requireNonNull(log, "log is null"), TimeUnit.MILLISECONDS.toNanos(intervalMillis),
                clockNanos(requireNonNull(clock, "clock is null")));
    }

    private RateLimitedLog(Logger log, long intervalNanos, LongSupplier nanos) {
        this.log = log;
        this.intervalNanos = intervalNanos;
        this.nanos = nanos;
    }

    private static LongSupplier clockNanos(Clock clock) {
        return () -> TimeUnit.MILLISECONDS.toNanos(clock.millis());
    }

    /**
     * Whether to log now. When it returns true, {@link #takeSuppressed()} says how many were held
     * back since the last line.
     */
    public boolean allow() {
        long now = nanos.getAsLong();
        long next = nextAllowed.get();
        if ((next == Long.MIN_VALUE || now - next >= 0) && nextAllowed.compareAndSet(next, now + intervalNanos)) {
            return true;
        }
        suppressed.incrementAndGet();
        return false;
    }

    public long takeSuppressed() {
        return suppressed.getAndSet(0);
    }

    /**
     * Logs at WARN, unless one was logged less than an interval ago.
     *
     * @throws IllegalStateException when this was built without a logger
     */
    public void warn(String format, Object... args) {
        if (log == null) {
            throw new IllegalStateException("this RateLimitedLog has no logger: build it with one, or use allow()");
        }
        if (!allow()) {
            return;
        }
        long skipped = takeSuppressed();
        if (skipped > 0) {
            log.warn(format + " ({} similar messages suppressed)", append(args, skipped));
        } else {
            log.warn(format, args);
        }
    }

    private static Object[] append(Object[] args, Object extra) {
        // Keep a trailing Throwable last so SLF4J still prints its stack trace.
        if (args.length > 0 && args[args.length - 1] instanceof Throwable) {
            Object[] out = new Object[args.length + 1];
            System.arraycopy(args, 0, out, 0, args.length - 1);
            out[args.length - 1] = extra;
            out[args.length] = args[args.length - 1];
            return out;
        }
        Object[] out = new Object[args.length + 1];
        System.arraycopy(args, 0, out, 0, args.length);
        out[args.length] = extra;
        return out;
    }
}
