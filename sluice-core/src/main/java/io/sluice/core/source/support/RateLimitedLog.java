package io.sluice.core.source.support;

import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

import static java.util.Objects.requireNonNull;

/**
 * Logs a repeated warning at most once per interval, and says how many were suppressed in
 * between. Thread-safe (lock-free).
 */
public final class RateLimitedLog {
    private final Logger log;
    private final long intervalMillis;
    private final Clock clock;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    public RateLimitedLog(Logger log, long intervalMillis, Clock clock) {
        this.log = requireNonNull(log, "log is null");
        this.intervalMillis = intervalMillis;
        this.clock = requireNonNull(clock, "clock is null");
    }

    /** Logs at WARN, unless one was logged less than an interval ago. */
    public void warn(String format, Object... args) {
        long now = clock.millis();
        long next = nextAllowed.get();
        if (now >= next && nextAllowed.compareAndSet(next, now + intervalMillis)) {
            long skipped = suppressed.getAndSet(0);
            if (skipped > 0) {
                log.warn(format + " ({} similar messages suppressed)", append(args, skipped));
            } else {
                log.warn(format, args);
            }
        } else {
            suppressed.incrementAndGet();
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
