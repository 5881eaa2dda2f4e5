package io.sluice.sql.agent;

import io.sluice.api.ChannelFullException;
import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.sql.EventSourceProvider.EventSink;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

import static java.util.Objects.requireNonNull;

/**
 * The channel processor of a stream's source: each batch the source commits is handed, in order,
 * to the engine's {@link EventSink}. Batches are delivered one at a time; a batch that cannot get
 * its turn within the wait (the engine is busy), or that arrives after the stream was dropped or
 * its source ended, is refused whole with {@link ChannelFullException}, so the source answers its
 * sender as it would for a full channel (netcat {@code FAILED}, HTTP 503, Avro error) and loses
 * nothing silently. For a finite source ({@code limit} >= 0) the sink is told {@link EventSink#end()}
 * once {@code limit} events were delivered. Thread-safe.
 */
final class StreamChannelProcessor implements ChannelProcessor {
    private final String label;
    private final EventSink sink;
    private final long limit;
    private final long waitMillis;
    private final ReentrantLock turn = new ReentrantLock(true);
    private final AtomicLong delivered = new AtomicLong();
    private volatile boolean closed;
    private volatile Runnable onFinish = () -> { };

    /**
     * @param label names the stream in messages, e.g. {@code stream 'clicks'}
     * @param limit events after which the source is finished, or -1 for an endless source
     * @param wait  how long a batch waits for the engine before it is refused
     */
    StreamChannelProcessor(String label, EventSink sink, long limit, Duration wait) {
        this.label = requireNonNull(label, "label is null");
        this.sink = requireNonNull(sink, "sink is null");
        this.limit = limit;
        this.waitMillis = requireNonNull(wait, "wait is null").toMillis();
    }

    @Override
    public void processEvent(Event event) {
        processEventBatch(List.of(requireNonNull(event, "event is null")));
    }

    @Override
    public void processEventBatch(List<Event> events) {
        requireNonNull(events, "events is null");
        if (events.isEmpty()) {
            return;
        }
        boolean mine;
        try {
            mine = turn.tryLock(waitMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ChannelFullException(label + ": interrupted while waiting for the engine; "
                    + events.size() + " event(s) not taken, send them again");
        }
        if (!mine) {
            throw new ChannelFullException(label + ": the rtsql engine did not take the batch within " + waitMillis
                    + " ms (it is busy); " + events.size() + " event(s) not taken, send them again later");
        }
        try {
            if (closed) {
                throw new ChannelFullException(label + " is closed (dropped, or its source ended); "
                        + events.size() + " event(s) not taken");
            }
            try {
                sink.acceptBatch(events);
            } catch (RuntimeException ex) {
                throw new ChannelFullException(label + ": the rtsql engine refused an event: " + ex.getMessage());
            }
            long total = delivered.addAndGet(events.size());
            if (limit >= 0 && total >= limit) {
                finish();
            }
        } finally {
            turn.unlock();
        }
    }

    /** Ends the stream now if the source is finite and owes no more events (a limit of 0). */
    void endIfDone() {
        turn.lock();
        try {
            if (limit >= 0 && delivered.get() >= limit) {
                finish();
            }
        } finally {
            turn.unlock();
        }
    }

    /** Runs {@code action} right after the sink was told the source ended. */
    void onFinish(Runnable action) {
        this.onFinish = requireNonNull(action, "action is null");
    }

    /** Refuses every later batch. */
    void close() {
        closed = true;
    }

    /** Events handed to the engine so far. */
    long delivered() {
        return delivered.get();
    }

    private void finish() {
        if (!closed) {
            closed = true;
            sink.end();
            onFinish.run();
        }
    }
}
