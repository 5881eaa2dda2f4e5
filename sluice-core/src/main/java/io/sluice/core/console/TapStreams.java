package io.sluice.core.console;

import io.sluice.api.Event;
import io.sluice.core.http.HttpEndpointServer.ChunkWriter;
import io.sluice.core.tap.Tap;
import io.sluice.core.tap.TapPoint;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Moves the events of open taps to their HTTP clients, as JSON lines ({@link EventJson}). One
 * daemon thread services every stream every {@value #PUMP_MILLIS} ms: it moves queued events only
 * while the client's socket takes them, so a slow client fills its own tap, which then drops and
 * counts; the agent's threads never wait. Each stream gets a {@code {"dropped":n}} line every
 * second (which also finds clients that left) and one at its end. Thread-safe.
 */
public final class TapStreams implements AutoCloseable {
    /** Events a tap of a stream holds for a reader that falls behind. */
    public static final int TAP_CAPACITY = 1000;
    static final long PUMP_MILLIS = 50;
    private static final int MAX_PER_PUMP = 500;

    private final ScheduledExecutorService pump;
    private final AtomicInteger open = new AtomicInteger();

    public TapStreams(String agentName) {
        this.pump = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "tap-streams-" + agentName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Streams the events of {@code point} to {@code out} until {@code limit} were sent (0: no limit) or the client left. */
    public void serve(TapPoint point, long limit, ChunkWriter out) {
        Stream s = new Stream(point.open(TAP_CAPACITY), limit, out);
        open.incrementAndGet();
        s.future = pump.scheduleWithFixedDelay(s::pump, 0, PUMP_MILLIS, TimeUnit.MILLISECONDS);
        out.onClose(s::close);
    }

    /** How many streams are open now. */
    public int openStreams() {
        return open.get();
    }

    @Override
    public void close() {
        pump.shutdownNow();
    }

    private final class Stream {
        private final Tap tap;
        private final long limit;
        private final ChunkWriter out;
        private final List<Event> batch = new ArrayList<>();
        private volatile ScheduledFuture<?> future;
        private long sent;
        private long lastDroppedLine = System.nanoTime();
        private boolean closed;

        Stream(Tap tap, long limit, ChunkWriter out) {
            this.tap = tap;
            this.limit = limit;
            this.out = out;
        }

        void pump() {
            try {
                if (!out.open()) {
                    close();
                    return;
                }
                while (out.writable() && (limit == 0 || sent < limit)) {
                    int max = (int) Math.min(MAX_PER_PUMP, limit == 0 ? MAX_PER_PUMP : limit - sent);
                    if (tap.drainTo(batch, max) == 0) {
                        break;
                    }
                    StringBuilder sb = new StringBuilder();
                    for (Event e : batch) {
                        sb.append(EventJson.line(tap.point(), e));
                    }
                    sent += batch.size();
                    batch.clear();
                    out.write(sb.toString());
                }
                if (limit > 0 && sent >= limit) {
                    out.write(EventJson.dropped(tap.dropped()));
                    out.end();
                    close();
                } else if (System.nanoTime() - lastDroppedLine >= TimeUnit.SECONDS.toNanos(1)) {
                    lastDroppedLine = System.nanoTime();
                    out.write(EventJson.dropped(tap.dropped()));
                }
            } catch (RuntimeException e) {
                out.end();
                close();
            }
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            tap.close();
            open.decrementAndGet();
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
    }
}
