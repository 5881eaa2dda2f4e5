package io.sluice.core.source.stress;

import io.sluice.api.BatchSizeAware;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.Status;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.AbstractPollableSource;
import io.sluice.core.source.support.PollBackoff;
import java.time.Clock;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

import static java.util.Objects.requireNonNull;

/**
 * Each {@link #process()} commits a batch of {@code batchSize} events whose body is the same
 * {@code size} random bytes. It stops (returns BACKOFF) once {@code maxTotalEvents} were attempted
 * or {@code maxSuccessfulEvents} were committed (-1: no limit), and paces itself to
 * {@code maxEventsPerSecond} (0: no limit). A refused batch is counted as failed and reported as
 * BACKOFF so the runner waits.
 *
 * <p>Thread-safe: the counts are atomic; the pacing state is guarded by a private lock (held
 * while waiting, so concurrent callers take turns), start and stop are synchronised.
 */
public final class StressSource extends AbstractPollableSource implements BatchSizeAware {
    private final int batchSize;
    private final long maxTotalEvents;
    private final long maxSuccessfulEvents;
    private final long maxEventsPerSecond;
    private final SourceCounter counter;
    private final Clock clock;
    private final List<Event> fullBatch;
    private final Event event;
    private final AtomicLong attempted = new AtomicLong();
    private final AtomicLong successful = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

    private final LongSupplier nanoTime;
    private final LongConsumer parkNanos;
    private final Object paceLock = new Object();
    private long nextSendNanos;

    StressSource(String name, int size, int batchSize, long maxTotalEvents, long maxSuccessfulEvents,
            long maxEventsPerSecond, SourceCounter counter, Clock clock, PollBackoff backoff) {
        this(name, size, batchSize, maxTotalEvents, maxSuccessfulEvents, maxEventsPerSecond, counter, clock, backoff,
                System::nanoTime, LockSupport::parkNanos);
    }

    /**
     * As above, pacing with {@code nanoTime} as its monotonic time and {@code parkNanos} to wait, so
     * a test can move time instead of waiting.
     */
    StressSource(String name, int size, int batchSize, long maxTotalEvents, long maxSuccessfulEvents,
            long maxEventsPerSecond, SourceCounter counter, Clock clock, PollBackoff backoff, LongSupplier nanoTime,
            LongConsumer parkNanos) {
        super(name, backoff);
        this.nanoTime = requireNonNull(nanoTime, "nanoTime is null");
        this.parkNanos = requireNonNull(parkNanos, "parkNanos is null");
        this.batchSize = batchSize;
        this.maxTotalEvents = maxTotalEvents;
        this.maxSuccessfulEvents = maxSuccessfulEvents;
        this.maxEventsPerSecond = maxEventsPerSecond;
        this.counter = requireNonNull(counter, "counter is null");
        this.clock = requireNonNull(clock, "clock is null");
        byte[] body = new byte[size];
        new Random().nextBytes(body);
        this.event = Event.wrap(Map.of(), body);
        this.fullBatch = Collections.nCopies(batchSize, event);
    }

    @Override
    protected void doStart() {
        getChannelProcessor(); // fails clearly when the agent has not set it yet
        counter.markStarted(clock.millis());
    }

    @Override
    protected void doStop() {
        counter.markStopped(clock.millis());
    }

    @Override
    public Status process() {
        long n = batchSize;
        if (maxTotalEvents >= 0) {
            n = Math.min(n, maxTotalEvents - attempted.get());
        }
        if (maxSuccessfulEvents >= 0) {
            n = Math.min(n, maxSuccessfulEvents - successful.get());
        }
        if (n <= 0) {
            return Status.BACKOFF;
        }
        pace(n);
        List<Event> batch = n == batchSize ? fullBatch : Collections.nCopies((int) n, event);
        attempted.addAndGet(n);
        counter.incrementAppendBatchReceived();
        counter.addReceived(n);
        try {
            getChannelProcessor().processEventBatch(batch);
        } catch (ChannelException e) {
            failed.addAndGet(n);
            counter.incrementChannelWriteFail();
            return Status.BACKOFF;
        }
        successful.addAndGet(n);
        counter.incrementAppendBatchAccepted();
        counter.addAccepted(n);
        return Status.READY;
    }

    private void pace(long n) {
        if (maxEventsPerSecond <= 0) {
            return;
        }
        synchronized (paceLock) {
            paceLocked(n);
        }
    }

    private void paceLocked(long n) {
        long now = nanoTime.getAsLong();
        if (nextSendNanos == 0 || now - nextSendNanos > TimeUnit.SECONDS.toNanos(1)) {
            nextSendNanos = now; // first batch, or after a long pause: do not burst to catch up
        }
        long wait = nextSendNanos - now;
        if (wait > 0) {
            parkNanos.accept(wait);
        }
        nextSendNanos += n * TimeUnit.SECONDS.toNanos(1) / maxEventsPerSecond;
    }

    public long attemptedEvents() {
        return attempted.get();
    }

    public long successfulEvents() {
        return successful.get();
    }

    public long failedEvents() {
        return failed.get();
    }

    @Override
    public int batchSize() {
        return batchSize;
    }
}
