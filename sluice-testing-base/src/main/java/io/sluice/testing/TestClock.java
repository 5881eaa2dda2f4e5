package io.sluice.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static java.util.Objects.requireNonNull;

/**
 * A {@link Clock} that only moves when a test moves it, and a sleeper that takes no real time:
 * code that paces itself with a monotonic time and a park ({@code System::nanoTime},
 * {@code LockSupport::parkNanos}) is given {@link #nanoTime()} and {@link #sleepNanos(long)}
 * instead, and the test asserts the sleeps it asked for. Thread-safe.
 */
public final class TestClock extends Clock {
    private final AtomicReference<Instant> now;
    private final List<Long> sleeps;
    private final ZoneId zone;

    public TestClock() {
        this(Instant.parse("2024-01-01T00:00:00Z"));
    }

    public TestClock(Instant start) {
        this(new AtomicReference<>(requireNonNull(start, "start is null")), new CopyOnWriteArrayList<>(), ZoneOffset.UTC);
    }

    private TestClock(AtomicReference<Instant> now, List<Long> sleeps, ZoneId zone) {
        this.now = now;
        this.sleeps = sleeps;
        this.zone = zone;
    }

    /** Moves the clock forward (or back, for a negative amount). */
    public void advance(Duration d) {
        now.updateAndGet(i -> i.plus(d));
    }

    public void advanceMillis(long millis) {
        advance(Duration.ofMillis(millis));
    }

    /** This clock's time as a nanosecond count, in place of {@code System.nanoTime()}. */
    public long nanoTime() {
        Instant i = now.get();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    /**
     * In place of a park or sleep of {@code nanos}: records it and moves the clock forward by it at
     * once. Zero or less records nothing, as a park would not wait.
     */
    public void sleepNanos(long nanos) {
        if (nanos > 0) {
            sleeps.add(nanos);
            advance(Duration.ofNanos(nanos));
        }
    }

    /** The sleeps asked of {@link #sleepNanos(long)} so far, in order. */
    public List<Long> sleeps() {
        return List.copyOf(sleeps);
    }

    /** Forgets the sleeps recorded so far. */
    public void clearSleeps() {
        sleeps.clear();
    }

    public void set(Instant instant) {
        now.set(requireNonNull(instant, "instant is null"));
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    /** A view of the same time in another zone; moving either moves both. */
    @Override
    public Clock withZone(ZoneId z) {
        return new TestClock(now, sleeps, z);
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public long millis() {
        return now.get().toEpochMilli();
    }
}
