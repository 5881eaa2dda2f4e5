package io.sluice.sql.agent.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.sql.WaitingSource;
import io.sluice.sql.agent.http.HttpConnection;
import io.sluice.sql.agent.http.ReconnectBackoff;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * One open metrics stream: a daemon thread that keeps {@code GET /api/v1/stream?match[]=<selector>}
 * open and hands every sample line to the stream. The first connection is made in {@link #start}, so
 * a wrong token (401), a wrong path (404) or a bad selector (400) fails the flow at once with what to
 * fix; so does such an answer to a later reconnect (the token was changed, the port now belongs to
 * something else): retrying the same request cannot help, so every flow reading the stream fails
 * with the same message instead of retrying forever. An API that cannot be reached yet (refused, unreachable: the agent is not up, as when a
 * persisted flow restarts before it) is not an error: the feed logs that it waits and asks again
 * after 1 s, doubling to 30 s, like a feed that later breaks (the agent restarts); samples stored
 * meanwhile are not seen (the feed is live). The API's {@code {"dropped":n}} lines, samples it dropped because
 * this reader fell behind, are logged when n grows. Thread-safe.
 */
final class MetricsFeed implements AutoCloseable, WaitingSource {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsFeed.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);
    /** The API writes a line at least every second; silence for this long means it is gone. */
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(30);

    private final String selector;
    private final MetricsFeedSettings settings;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final Consumer<byte[]> lines;
    private final Consumer<Exception> failure;
    private final CountDownLatch stopping = new CountDownLatch(1);
    private volatile boolean running;
    private volatile HttpConnection connection;
    private volatile long dropped;
    /** True until the first connection is open, when the API could not be reached at start. */
    private volatile boolean waiting;
    /** Why no connection is open now (the last failure), or null while one is. */
    private volatile String notReading;
    private Thread reader;

    MetricsFeed(String selector, MetricsFeedSettings settings, Duration minBackoff, Duration maxBackoff,
            Consumer<byte[]> lines, Consumer<Exception> failure) {
        this.selector = requireNonNull(selector, "selector is null");
        this.settings = requireNonNull(settings, "settings is null");
        this.minBackoff = requireNonNull(minBackoff, "minBackoff is null");
        this.maxBackoff = requireNonNull(maxBackoff, "maxBackoff is null");
        this.lines = requireNonNull(lines, "lines is null");
        this.failure = requireNonNull(failure, "failure is null");
    }

    @Override
    public String waitingReason() {
        String why = notReading;
        return why == null || !running ? null : "waiting for the metrics query API (asking again with a backoff"
                + " up to " + maxBackoff.toSeconds() + " s): " + why;
    }

    /** Samples the API reported dropped for this reader, on the current connection. */
    long dropped() {
        return dropped;
    }

    /**
     * Opens the feed and starts reading it.
     *
     * @throws IOException naming the URL and what to fix, when the API answers and refuses (401, 404, 400);
     *     an API that cannot be reached yet is waited for instead
     */
    void start() throws IOException {
        running = true;
        HttpConnection.Response first;
        try {
            first = connect();
            LOG.info("[rtsql] reading METRICS '{}' from {}", selector, settings.url());
        } catch (RefusedException e) {
            throw e;
        } catch (IOException e) {
            // not there yet (the agent starts after the flow): wait for it, as a FROM NODE stream does
            first = null;
            waiting = true;
            notReading = e.getMessage();
            LOG.warn("[rtsql] METRICS '{}': waiting for the query API: {}; trying again in {} ms", selector,
                    e.getMessage(), minBackoff.toMillis());
        }
        HttpConnection.Response opened = first;
        reader = new Thread(() -> readLoop(opened), "rtsql-metrics-" + selector);
        reader.setDaemon(true);
        reader.start();
    }

    /** The query API answered, and refused: retrying the same request cannot help. */
    static final class RefusedException extends IOException {
        private static final long serialVersionUID = 1L;

        RefusedException(String message) {
            super(message);
        }
    }

    /**
     * One connection, answered 200; a {@link RefusedException} when the API answered with an error
     * (saying what to fix), another IOException when it could not be reached or broke off.
     */
    private HttpConnection.Response connect() throws IOException {
        HttpConnection c;
        try {
            c = HttpConnection.open(settings.server(), CONNECT_TIMEOUT, READ_TIMEOUT);
        } catch (IOException e) {
            throw new IOException("cannot reach the metrics query API at " + settings.url() + " (" + e.getMessage()
                    + "); is the agent running, and is this its metrics sink's query.bind and query.port?", e);
        }
        connection = c;
        boolean ok = false;
        try {
            HttpConnection.Response r = c.exchange("GET", settings.path(), Map.of("Accept", "application/x-ndjson"),
                    null);
            if (r.status() == 401) {
                throw new RefusedException("the metrics query API at " + settings.url() + " refused the token (401); give"
                        + " the <agent>-<port>.token file of that agent as 'token-file', or the sink's query.token");
            }
            if (r.status() == 404) {
                throw new RefusedException(settings.url() + " has no /api/v1/stream (404); 'url' must be the query API of"
                        + " a metrics sink (its query.port), not the agent's metrics endpoint");
            }
            if (r.status() != 200) {
                String body = new String(r.readBody(4096), StandardCharsets.UTF_8).trim();
                String why = "the metrics query API at " + settings.url() + " refused METRICS '" + selector + "' ("
                        + r.status() + "): " + message(body);
                // a 5xx (busy, failing) may pass: waited for like an API not up yet; a 4xx will not
                throw r.status() >= 500 ? new IOException(why) : new RefusedException(why);
            }
            ok = true;
            return r;
        } finally {
            if (!ok) {
                connection = null;
                c.close();
            }
        }
    }

    private static String message(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.has("error")) {
                return n.get("error").asText();
            }
        } catch (IOException e) {
            // not JSON: the body itself
        }
        return body.isEmpty() ? "(no message)" : body;
    }

    private void readLoop(HttpConnection.Response first) {
        ReconnectBackoff backoff = new ReconnectBackoff(minBackoff, maxBackoff);
        HttpConnection.Response r = first;
        if (r == null && !pause(backoff.next(false))) {
            return;
        }
        while (running) {
            boolean read = false;
            try {
                if (r == null) {
                    r = connect();
                    LOG.info("[rtsql] METRICS '{}': reading {}{}", selector, settings.url(),
                            waiting ? " (the query API is up)" : " again");
                    waiting = false;
                    notReading = null;
                }
                read = readAll(r);
                if (running) {
                    LOG.warn("[rtsql] METRICS '{}': {} ended the feed; asking again in {} ms", selector,
                            settings.url(), backoff.current().toMillis());
                }
            } catch (RefusedException e) {
                // the API is up and refuses this feed (token changed, sink moved): asking again cannot help
                if (running) {
                    running = false;
                    LOG.error("[rtsql] METRICS '{}': {}; the feed stops", selector, e.getMessage());
                    failure.accept(e);
                }
                return;
            } catch (IOException | RuntimeException e) {
                notReading = e.getMessage();
                if (running) {
                    LOG.warn("[rtsql] METRICS '{}': {}; trying again in {} ms", selector, e.getMessage(),
                            backoff.current().toMillis());
                }
            } finally {
                r = null;
                HttpConnection c = connection;
                connection = null;
                if (c != null) {
                    c.close();
                }
            }
            if (!pause(backoff.next(read))) {
                return;
            }
        }
    }

    /** Waits {@code d}; false when the feed is closing. */
    private boolean pause(Duration d) {
        try {
            return !stopping.await(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Reads lines until the feed ends; returns whether it delivered anything. */
    private boolean readAll(HttpConnection.Response r) throws IOException {
        boolean any = false;
        long droppedBefore = 0;
        for (String line = r.readLine(); line != null && running; line = r.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            any = true;
            if (line.startsWith("{\"dropped\":")) {
                long n = parseDropped(line);
                if (n > droppedBefore) {
                    LOG.warn("[rtsql] METRICS '{}': the query API dropped {} sample(s) because this flow read slower"
                            + " than the store was written (its buffer is full; raise 'buffer' or lighten the flow)",
                            selector, n - droppedBefore);
                    droppedBefore = n;
                }
                dropped = n;
                continue;
            }
            lines.accept(line.getBytes(StandardCharsets.UTF_8));
        }
        return any;
    }

    private static long parseDropped(String line) {
        try {
            return Long.parseLong(line.substring(11, line.indexOf('}')).trim());
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        running = false;
        stopping.countDown();
        HttpConnection c = connection;
        if (c != null) {
            c.close();
        }
        Thread t = reader;
        if (t != null && t != Thread.currentThread()) { // the reader closes the feed itself when it fails
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
