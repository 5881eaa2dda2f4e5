package io.sluice.metrics.sink;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.sluice.core.http.HttpEndpointServer.ChunkWriter;
import io.sluice.core.http.HttpEndpointServer.StreamBody;
import io.sluice.metrics.query.Expr;
import io.sluice.metrics.store.MetricsStore;
import io.sluice.metrics.store.SampleListener;
import io.sluice.metrics.store.SeriesKey;
import io.sluice.metrics.store.ValueType;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The live feed of the query API ({@code GET /api/v1/stream?match[]=<selector>}): the samples the
 * store stores from the moment a client subscribes, as JSON lines.
 *
 * <p>Wire format (chunked {@code application/x-ndjson}, one object per line):
 * <pre>
 * {"name":"temperature","labels":{"dc":"jb","rack":"r1"},"type":"double","value":41.5,"ts":1700000000000}
 * {"name":"motd","labels":{},"type":"string","value":null,"text":"hello","ts":1700000000000}
 * {"dropped":0}
 * </pre>
 * {@code type} is Artimon's: {@code integer}, {@code double}, {@code boolean} (value 1 or 0) or
 * {@code string} (value null, the string in {@code text}). Every second, and when a client's
 * stream ends, a {@code {"dropped":n}} line says how many matching samples this subscription has
 * dropped so far; it also finds clients that went away.
 *
 * <p>Each subscription holds at most {@code buffer} samples (default {@value #DEFAULT_BUFFER}) for
 * a client that reads slower than the store is written: when that buffer is full the sample is
 * dropped and counted, so a slow reader never slows the sink or grows the heap. The store's writer
 * thread only matches the selectors and offers to the buffer; one daemon thread moves buffered
 * samples to every client every {@value #PUMP_MILLIS} ms while its socket takes them. Thread-safe.
 */
final class SampleStreams implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SampleStreams.class);
    /** Samples a subscription holds for a client that falls behind. */
    static final int DEFAULT_BUFFER = 10_000;
    static final long PUMP_MILLIS = 50;
    private static final int MAX_PER_PUMP = 2_000;

    private final String label;
    private final MetricsStore store;
    private final ScheduledExecutorService pump;
    private final AtomicInteger open = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();

    SampleStreams(String label, MetricsStore store) {
        this.label = requireNonNull(label, "label is null");
        this.store = requireNonNull(store, "store is null");
        this.pump = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, label + "-sample-streams");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Subscribes to the samples matching any of {@code selectors} from now on, before the answer's
     * head is sent, so a client that saw the head misses no sample stored after it; the returned
     * body streams them to the client until it leaves.
     */
    StreamBody subscribe(List<Expr.Selector> selectors, int buffer) {
        Subscription s = new Subscription(List.copyOf(selectors), buffer);
        s.handle = store.subscribe(s);
        open.incrementAndGet();
        LOG.debug("[{}] sample stream opened for {}", label, selectors);
        return out -> {
            s.out = out;
            s.future = pump.scheduleWithFixedDelay(s::pump, 0, PUMP_MILLIS, TimeUnit.MILLISECONDS);
            out.onClose(s::close);
        };
    }

    /** Subscriptions open now. */
    int openStreams() {
        return open.get();
    }

    /** Samples dropped for slow readers, over every subscription so far. */
    long droppedCount() {
        return dropped.sum();
    }

    @Override
    public void close() {
        pump.shutdownNow();
    }

    /** One stored sample on its way to a client. */
    private record Sample(SeriesKey key, ValueType type, long time, double value, String text) {
    }

    private final class Subscription implements SampleListener {
        private final List<Expr.Selector> selectors;
        private final ArrayBlockingQueue<Sample> queue;
        private volatile ChunkWriter out;
        private final LongAdder droppedHere = new LongAdder();
        private final List<Sample> batch = new ArrayList<>();
        private volatile ScheduledFuture<?> future;
        private volatile AutoCloseable handle;
        private long lastDroppedLine = System.nanoTime();
        private boolean closed;

        Subscription(List<Expr.Selector> selectors, int buffer) {
            this.selectors = selectors;
            this.queue = new ArrayBlockingQueue<>(buffer);
        }

        @Override
        public void stored(SeriesKey key, ValueType type, long timeMillis, double value, String text) {
            for (Expr.Selector s : selectors) {
                if (s.matches(key)) {
                    if (!queue.offer(new Sample(key, type, timeMillis, value, text))) {
                        droppedHere.increment();
                        dropped.increment();
                    }
                    return;
                }
            }
        }

        void pump() {
            try {
                if (!out.open()) {
                    close();
                    return;
                }
                while (out.writable() && queue.drainTo(batch, MAX_PER_PUMP) > 0) {
                    StringBuilder sb = new StringBuilder(batch.size() * 96);
                    for (Sample s : batch) {
                        line(sb, s);
                    }
                    batch.clear();
                    out.write(sb.toString());
                }
                if (System.nanoTime() - lastDroppedLine >= TimeUnit.SECONDS.toNanos(1)) {
                    lastDroppedLine = System.nanoTime();
                    out.write("{\"dropped\":" + droppedHere.sum() + "}\n");
                }
            } catch (RuntimeException e) {
                LOG.warn("[{}] a sample stream failed and was closed", label, e);
                out.end();
                close();
            }
        }

        synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            AutoCloseable h = handle;
            if (h != null) {
                try {
                    h.close();
                } catch (Exception e) {
                    LOG.debug("[{}] unsubscribing a sample stream failed", label, e);
                }
            }
            open.decrementAndGet();
            ScheduledFuture<?> f = future;
            if (f != null) {
                f.cancel(false);
            }
        }
    }

    /** Appends one sample's JSON line. */
    static void line(StringBuilder sb, SeriesKey key, ValueType type, long time, double value, String text) {
        sb.append("{\"name\":");
        quote(sb, key.name());
        sb.append(",\"labels\":{");
        boolean first = true;
        for (Map.Entry<String, String> e : key.labels().entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            quote(sb, e.getKey());
            sb.append(':');
            quote(sb, e.getValue());
        }
        sb.append("},\"type\":\"").append(type.name().toLowerCase(Locale.ROOT)).append("\",\"value\":");
        if (type == ValueType.STRING) {
            sb.append("null,\"text\":");
            quote(sb, text);
        } else if (type != ValueType.DOUBLE && Math.abs(value) < 9.007199254740992E15) {
            sb.append((long) value);
        } else {
            sb.append(value);
        }
        sb.append(",\"ts\":").append(time).append("}\n");
    }

    private static void line(StringBuilder sb, Sample s) {
        line(sb, s.key(), s.type(), s.time(), s.value(), s.text());
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        JsonStringEncoder.getInstance().quoteAsString(s, sb);
        sb.append('"');
    }
}
