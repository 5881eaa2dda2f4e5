package io.sluice.sql.agent.tee;

import io.sluice.api.Event;
import io.sluice.core.tap.Tap;
import io.sluice.core.tap.TeeAccept;
import io.sluice.core.tap.TeeFrames;
import io.sluice.sql.agent.http.HttpConnection;
import io.sluice.sql.agent.http.ServerAddress;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Sends one tee: drains its {@link Tap} on a thread of its own and posts the events to
 * {@code POST /v1/nodes/{agent}/tees/{component}}, one request in flight at a time. A batch body is
 * encoded straight from the tap's batches (views of what the agent published, never copied) into
 * one reused buffer, in the form the registration's {@link TeeFormat} says, and holds up to the
 * events and bytes the server announced (at most {@value TeeFormat#MAX_EVENTS} events and
 * {@value TeeFormat#MAX_BYTES} bytes); it is sent when full, or {@link #LINGER} after its first
 * event. While a body fills, the sender waits for the tap to hold enough to fill it (or half the
 * tap) rather than waking for every published batch. The answer decides what happens next: 204
 * sent; 410 the server wants this tee no more (the tap is closed and the sender ends); 404 the
 * server does not know the node (the client re-registers); 415 to a binary body (or 400 from a
 * server that announced no formats) the server does not read the binary form: the registration falls
 * back to ndjson (logged once, counted in {@code FormatFallbackCount}) and the same events are sent
 * again in it; anything else, or no answer, loses the batch (counted with the tap's drops, never
 * retried: a tee is a live view, and the agent's own delivery does not depend on it). Every request
 * carries {@code X-Sluice-Dropped}: the events of this tee the server will never see so far (the
 * tap's drops plus the events of failed requests).
 *
 * <p>The sender's thread yields to the agent's own: it lowers its scheduling priority to the lowest
 * ({@link LowPriority}) and keeps its CPU time within a share of one core ({@link CpuBudget}): after
 * each request it pauses as long as the budget says, and what its tap cannot hold meanwhile is dropped
 * and counted like any full tap (the pauses are counted in {@code CpuBudgetPausedMillis}). Thread-safe.
 */
final class TeeSender implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TeeSender.class);
    /** Whether a tee could not lower its priority and said so: logged once per JVM. */
    private static final AtomicBoolean PRIORITY_REPORTED = new AtomicBoolean();
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
    private final TeeFormat format;
    private final Listener listener;
    private final TeeCounters counters;
    private final double cpuShare;
    private final String path;
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final Thread thread;
    /** The events of the body being sent, as the tap's views, kept to send them again in another form. */
    private final List<List<Event>> parts = new ArrayList<>();
    private final byte[] answer = new byte[4096];
    private volatile boolean closed;
    private volatile HttpConnection connection;
    private FrameWriter writer;
    private long dropsCounted;
    private long lastWarn;
    /** Wall time spent encoding and sending, the budget's measure where thread CPU time is not available. */
    private long busyNanos;

    TeeSender(String agent, String component, Tap tap, ServerAddress server, TeeFormat format, Listener listener,
            TeeCounters counters, double cpuShare) {
        this.agent = requireNonNull(agent, "agent is null");
        this.component = requireNonNull(component, "component is null");
        this.tap = requireNonNull(tap, "tap is null");
        this.server = requireNonNull(server, "server is null");
        this.format = requireNonNull(format, "format is null");
        this.listener = requireNonNull(listener, "listener is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.cpuShare = CpuBudget.checkShare(cpuShare, "cpuShare");
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
        List<Event> carried = null;
        lowerPriority();
        CpuBudget budget = budget();
        try {
            // a closed tap answers every wait at once: the loop ends with it rather than spin
            while (!closed && !tap.isClosed()) {
                syncDrops();
                if (carried == null && !tap.awaitQueued(1, 200, TimeUnit.MILLISECONDS)) {
                    continue;
                }
                long started = System.nanoTime();
                FrameWriter body = writerNow();
                int maxEvents = format.maxEvents();
                int maxBytes = format.maxBytes();
                body.reset();
                parts.clear();
                int events = 0;
                long deadline = System.nanoTime() + LINGER.toNanos();
                while (events < maxEvents && body.size() < maxBytes && !closed) {
                    List<Event> part = carried != null ? carried : tap.pollBatch(maxEvents - events);
                    carried = null;
                    if (part == null) {
                        // wait for enough to fill the body (or half the tap), woken once rather than per batch
                        long left = deadline - System.nanoTime();
                        int enough = Math.min(maxEvents - events, Math.max(1, tap.capacity() / 2));
                        if (left <= 0 || !tap.awaitQueued(enough, left, TimeUnit.NANOSECONDS) && tap.queued() == 0) {
                            break;
                        }
                        continue;
                    }
                    int n = part.size();
                    for (int i = 0; i < n; i++) {
                        int before = body.size();
                        body.write(part.get(i));
                        if (body.size() > maxBytes && events + i > 0) {
                            body.dropLast(before);
                            carried = part.subList(i, n);
                            part = part.subList(0, i);
                            break;
                        }
                    }
                    if (!part.isEmpty()) {
                        parts.add(part);
                        events += part.size();
                    }
                    if (carried != null) {
                        break;
                    }
                }
                if (!closed && events > 0) {
                    post(events, body);
                }
                busyNanos += System.nanoTime() - started;
                long pause = budget.charge();
                if (pause > 0 && !closed) {
                    counters.paused(pause);
                    TimeUnit.NANOSECONDS.sleep(pause);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            closeConnection();
            syncDrops();
        }
    }

    /** Runs this thread at the lowest priority; where that is not possible, says so once. */
    private void lowerPriority() {
        String why = LowPriority.lowerCurrentThread();
        if (why == null) {
            LOG.debug("[{}] tee of '{}' runs at nice {}", agent, component, LowPriority.NICE);
        } else if (PRIORITY_REPORTED.compareAndSet(false, true)) {
            LOG.info("[{}] tee of '{}' runs at the agent's priority: {}; its CPU budget ({} of a core) still bounds it",
                    agent, component, why, cpuShare);
        }
    }

    /** The budget of this thread, measured by its CPU time, or by its busy wall time where the JVM gives none. */
    private CpuBudget budget() {
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        if (threads.isCurrentThreadCpuTimeSupported() && threads.isThreadCpuTimeEnabled()) {
            return new CpuBudget(cpuShare, threads::getCurrentThreadCpuTime, System::nanoTime);
        }
        LOG.debug("[{}] the JVM measures no thread CPU time: the tee of '{}' is budgeted by its busy time", agent,
                component);
        return new CpuBudget(cpuShare, () -> busyNanos, System::nanoTime);
    }

    /** The writer of the form the registration sends now. */
    private FrameWriter writerNow() {
        int version = format.binary() ? format.binaryVersion() : 0;
        if (writer == null || writer.version() != version) {
            writer = version > 0 ? FrameWriter.binary(version) : FrameWriter.ndjson();
        }
        return writer;
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

    private void post(int events, FrameWriter body) {
        int status = send(body);
        if (status == -1) {
            return;
        }
        boolean[] switched = new boolean[1];
        if (body.contentType().equals(TeeFrames.CONTENT_TYPE) && format.refusesBinary(status, switched)) {
            if (switched[0]) {
                counters.formatFallback();
                LOG.warn("[{}] the rtsql server {} does not read {} batches (it answered {}; {}); sending the tees "
                        + "as {} from now on, which costs more CPU on both sides: upgrade the server", agent, server,
                        TeeFrames.CONTENT_TYPE, status, format.accept().announced() ? "although it announced them"
                                : "it announced no tee formats, so it predates them", TeeAccept.NDJSON);
            }
            FrameWriter again = writerNow();
            again.reset();
            for (List<Event> part : parts) {
                for (Event e : part) {
                    again.write(e);
                }
            }
            status = send(again);
            if (status == -1) {
                return;
            }
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
            default -> lose(events, "the rtsql server answered " + status + " to a " + body.contentType() + " batch");
        }
        parts.clear();
    }

    /** Posts the body; returns the answer's status, or -1 when there was none (the events counted lost). */
    private int send(FrameWriter body) {
        body.finish();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", body.contentType());
        headers.put("X-Sluice-Dropped", Long.toString(dropped()));
        int events = 0;
        for (List<Event> part : parts) {
            events += part.size();
        }
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
            HttpConnection.Response r = c.exchange("POST", path, headers, body.buffer(), body.size());
            r.skipBody(answer);
            return r.status();
        } catch (IOException e) {
            closeConnection();
            lose(events, "could not send to " + server + ": " + e.getMessage());
            parts.clear();
            return -1;
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
