package io.sluice.sql.agent.tee;

import io.sluice.api.Event;
import io.sluice.core.tap.Tap;
import io.sluice.core.tap.TeeFrames;
import io.sluice.sql.agent.http.HttpConnection;
import io.sluice.sql.agent.http.ServerAddress;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Sends one tee: drains its {@link Tap} on a thread of its own and posts the events to
 * {@code POST /v1/nodes/{agent}/tees/{component}} in {@value TeeFrames#CONTENT_TYPE} batches (events
 * encoded straight from the tap's batches into one reused buffer) of at most
 * {@value #MAX_EVENTS} events or {@value #MAX_BYTES} bytes, sent when full or
 * {@link #LINGER} after their first event, one request in flight at a time. The answer decides
 * what happens next: 204 sent; 410 the server wants this tee no more (the tap is closed and the
 * sender ends); 404 the server does not know the node (the client re-registers); anything else, or
 * no answer, loses the batch (counted with the tap's drops, never retried: a tee is a live view,
 * and the agent's own delivery does not depend on it). Every request carries
 * {@code X-Sluice-Dropped}: the events of this tee the server will never see so far (the tap's
 * drops plus the events of failed requests). Thread-safe.
 */
final class TeeSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TeeSender.class);
    static final int MAX_EVENTS = 1000;
    static final int MAX_BYTES = 1 << 20;
    static final Duration LINGER = Duration.ofMillis(100);

    /** What the sender tells its client. */
    interface Listener {
        /** The server answered 410: it wants this tee no more. */
        void gone(TeeSender sender);

        /** The server answered 404: it does not know the node. */
        void notRegistered();
    }

    private final String agent;
    private final String component;
    private final Tap tap;
    private final ServerAddress server;
    private final Listener listener;
    private final TeeCounters counters;
    private final String path;
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final Thread thread;
    private volatile boolean closed;
    private volatile HttpConnection connection;
    private long dropsCounted;
    private long lastWarn;

    TeeSender(String agent, String component, Tap tap, ServerAddress server, Listener listener, TeeCounters counters) {
        this.agent = requireNonNull(agent, "agent is null");
        this.component = requireNonNull(component, "component is null");
        this.tap = requireNonNull(tap, "tap is null");
        this.server = requireNonNull(server, "server is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.path = "/v1/nodes/" + encode(agent) + "/tees/" + encode(component);
        this.thread = new Thread(this::run, "rtsql-tee-" + agent + "." + component);
        this.thread.setDaemon(true);
    }

    static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    void start() {
        thread.start();
    }

    String component() {
        return component;
    }

    /** Events of this tee the server will not see: the tap's drops plus those of failed requests. */
    long dropped() {
        return tap.dropped() + lost.get();
    }

    /** Events the server acknowledged. */
    long sent() {
        return sent.get();
    }

    private void run() {
        List<Event> pending = new ArrayList<>(MAX_EVENTS);
        ArrayDeque<Event> carried = new ArrayDeque<>();
        TeeFrames.Writer body = new TeeFrames.Writer(256 * 1024);
        try {
            while (!closed) {
                syncDrops();
                Event first = carried.isEmpty() ? tap.poll(200, TimeUnit.MILLISECONDS) : carried.poll();
                if (first == null) {
                    continue;
                }
                body.reset();
                body.write(first);
                int events = 1;
                long deadline = System.nanoTime() + LINGER.toNanos();
                fill:
                while (events < MAX_EVENTS && body.size() < MAX_BYTES && !closed) {
                    pending.clear();
                    while (!carried.isEmpty() && pending.size() < MAX_EVENTS - events) {
                        pending.add(carried.poll());
                    }
                    if (pending.isEmpty()) {
                        tap.drainTo(pending, MAX_EVENTS - events);
                    }
                    if (pending.isEmpty()) {
                        long wait = deadline - System.nanoTime();
                        Event next = wait > 0 ? tap.poll(wait, TimeUnit.NANOSECONDS) : null;
                        if (next == null) {
                            break;
                        }
                        pending.add(next);
                    }
                    for (int i = 0; i < pending.size(); i++) {
                        int before = body.size();
                        body.write(pending.get(i));
                        if (body.size() > MAX_BYTES) {
                            body.dropLast(before);
                            carried.addAll(pending.subList(i, pending.size()));
                            break fill;
                        }
                        events++;
                    }
                }
                if (!closed) {
                    post(events, body.buffer(), body.size());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConnection();
            syncDrops();
        }
    }

    /**
     * Adds the tap's drops since the last call to the agent's counters. Called by the sender's
     * thread and by the client's metrics tick (so drops are counted while a request hangs).
     */
    synchronized void syncDrops() {
        long now = tap.dropped();
        if (now > dropsCounted) {
            counters.lost(now - dropsCounted);
            dropsCounted = now;
        }
    }

    private void post(int events, byte[] body, int length) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", TeeFrames.CONTENT_TYPE);
        headers.put("X-Sluice-Dropped", Long.toString(dropped()));
        int status;
        try {
            HttpConnection c = connection;
            if (c == null || !c.reusable()) {
                closeConnection();
                c = HttpConnection.open(server, Duration.ofSeconds(5), Duration.ofSeconds(30));
                connection = c;
                if (closed) {
                    c.close();
                }
            }
            HttpConnection.Response r = c.exchange("POST", path, headers, body, length);
            r.readBody(4096);
            status = r.status();
        } catch (IOException e) {
            closeConnection();
            lose(events, "could not send to " + server + ": " + e.getMessage());
            return;
        }
        switch (status) {
            case 200, 202, 204 -> {
                sent.addAndGet(events);
                counters.sent(events);
            }
            case 410 -> {
                LOG.info("[{}] the rtsql server wants the tee of '{}' no more; closing its tap", agent, component);
                counters.lost(events);
                lost.addAndGet(events);
                // The client learns of the 410 before this sender reads as closed, so that a wanted set
                // applied meanwhile never takes it for a tee to open again.
                listener.gone(this);
                tap.close();
                closed = true;
            }
            case 404 -> {
                lose(events, "the rtsql server does not know node '" + agent + "' (404); registering again");
                listener.notRegistered();
            }
            case 401 -> lose(events, "the rtsql server refused the token (401); check --rtsql-token-file or SLUICE_TOKEN");
            default -> lose(events, "the rtsql server answered " + status);
        }
    }

    private void lose(int events, String why) {
        lost.addAndGet(events);
        counters.lost(events);
        long now = System.nanoTime();
        if (lastWarn == 0 || now - lastWarn > TimeUnit.SECONDS.toNanos(10)) {
            lastWarn = now;
            LOG.warn("[{}] tee of '{}': {}; {} event(s) of this tee not delivered so far (the agent's own delivery "
                    + "is not affected)", agent, component, why, dropped());
        }
    }

    private void closeConnection() {
        HttpConnection c = connection;
        connection = null;
        if (c != null) {
            c.close();
        }
    }

    /** Closes the tap and stops the sender (a request in flight is cut). Idempotent. */
    @Override
    public void close() {
        closed = true;
        tap.close();
        thread.interrupt();
        HttpConnection c = connection;
        if (c != null) {
            c.close();
        }
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    boolean isClosed() {
        return closed;
    }
}
