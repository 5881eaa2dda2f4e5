package io.sluice.sql.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.ChannelException;
import io.sluice.api.Event;
import io.sluice.api.EventDrivenSource;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.support.AbstractSource;
import io.sluice.core.support.RateLimitedLog;
import io.sluice.sql.agent.http.HttpConnection;
import io.sluice.sql.agent.http.ServerAddress;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Reads an rtsql server's stream into the agent: {@code POST /query-stream} with
 * {@code SELECT * FROM <stream>}, one event per row (Avro binary record body, schema in the
 * {@value RowEncoder#SCHEMA_HEADER} header). A reader thread keeps the query open and hands
 * encoded events to a bounded queue; a committer thread puts them into the channels in batches of
 * at most {@code batchSize}, committed when full or {@value #LINGER_MILLIS} ms after their first
 * event. A batch the channels refuse is retried until they take it or the source stops; meanwhile
 * the queue fills and the reader stops reading, so the server is slowed by TCP, not answered with
 * lost rows. When the server goes away, refuses the statement (400, e.g. no such stream yet) or the
 * token (401), the reader tries again after 1 s, doubling to 30 s; rows the server emitted while
 * no query was open are not seen (a stream is live). Thread-safe.
 */
public final class RtsqlSource extends AbstractSource implements EventDrivenSource {
    private static final Logger LOG = LoggerFactory.getLogger(RtsqlSource.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final long LINGER_MILLIS = 100;

    private final String label;
    private final ServerAddress server;
    private final String stream;
    private final int batchSize;
    private final Duration minBackoff;
    private final Duration maxBackoff;
    private final SourceCounter counter;
    private final Clock clock;
    private final RateLimitedLog rejectLog;
    private volatile boolean running;
    private volatile CountDownLatch stopping = new CountDownLatch(0);
    private volatile HttpConnection connection;
    private BlockingQueue<Event> queue;
    private Thread reader;
    private Thread committer;

    RtsqlSource(String name, String label, ServerAddress server, String stream, int batchSize, Duration minBackoff,
            Duration maxBackoff, SourceCounter counter, Clock clock) {
        super(name);
        this.label = requireNonNull(label, "label is null");
        this.server = requireNonNull(server, "server is null");
        this.stream = requireNonNull(stream, "stream is null");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize: " + batchSize + " (expected: > 0)");
        }
        this.batchSize = batchSize;
        this.minBackoff = requireNonNull(minBackoff, "minBackoff is null");
        this.maxBackoff = requireNonNull(maxBackoff, "maxBackoff is null");
        this.counter = requireNonNull(counter, "counter is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.rejectLog = new RateLimitedLog(LOG, 10_000, clock);
    }

    @Override
    protected void doStart() {
        getChannelProcessor();
        running = true;
        stopping = new CountDownLatch(1);
        queue = new ArrayBlockingQueue<>(Math.max(2 * batchSize, 16));
        reader = new Thread(this::readLoop, "rtsql-source-reader-" + name());
        committer = new Thread(this::commitLoop, "rtsql-source-" + name());
        reader.setDaemon(true);
        committer.setDaemon(true);
        counter.markStarted(clock.millis());
        reader.start();
        committer.start();
        LOG.info("[{}] reading stream '{}' from the rtsql server {}", label, stream, server);
    }

    @Override
    protected void doStop() {
        running = false;
        stopping.countDown();
        HttpConnection c = connection;
        if (c != null) {
            c.close();
        }
        for (Thread t : new Thread[] {reader, committer}) {
            if (t == null) {
                continue;
            }
            t.interrupt();
            try {
                t.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        counter.setOpenConnections(0);
        counter.markStopped(clock.millis());
        LOG.info("[{}] stopped reading stream '{}'", label, stream);
    }

    private void readLoop() {
        Duration backoff = minBackoff;
        while (running) {
            boolean gotRows = false;
            try {
                gotRows = readOnce();
                if (running) {
                    rejectLog.warn("[{}] the rtsql server {} ended the query on stream '{}'; asking again in {} ms",
                            label, server, stream, backoff.toMillis());
                }
            } catch (IOException | RuntimeException e) {
                if (running) {
                    rejectLog.warn("[{}] stream '{}' from the rtsql server {}: {}; trying again in {} ms", label, stream,
                            server, e.getMessage(), backoff.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } finally {
                counter.setOpenConnections(0);
            }
            if (gotRows) {
                backoff = minBackoff;
            }
            try {
                if (stopping.await(backoff.toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!gotRows) {
                backoff = backoff.multipliedBy(2).compareTo(maxBackoff) > 0 ? maxBackoff : backoff.multipliedBy(2);
            }
        }
    }

    /** One query, until it ends; returns whether the server accepted it. */
    private boolean readOnce() throws IOException, InterruptedException {
        HttpConnection c = HttpConnection.open(server, Duration.ofSeconds(5), Duration.ZERO);
        connection = c;
        try {
            if (!running) {
                return false;
            }
            byte[] request = JSON.writeValueAsBytes(Map.of("sql", "SELECT * FROM " + quoted(stream),
                    "properties", Map.of()));
            HttpConnection.Response r = c.exchange("POST", "/query-stream",
                    Map.of("Content-Type", "application/json", "Accept", "application/x-ndjson"), request);
            if (r.status() == 401) {
                throw new IOException("the server refused the token (401); set tokenFile to the server's "
                        + "<data-dir>/token, or SLUICE_TOKEN");
            }
            if (r.status() != 200) {
                String body = new String(r.readBody(2048), StandardCharsets.UTF_8).trim();
                throw new IOException("the server answered " + r.status() + " to SELECT * FROM " + stream + ": "
                        + message(body));
            }
            String first = r.readLine();
            if (first == null) {
                throw new IOException("the server answered the query without its header line");
            }
            RowEncoder encoder = RowEncoder.fromHeader(stream, JSON.readTree(first));
            counter.setOpenConnections(1);
            LOG.info("[{}] reading stream '{}' ({} column(s)) from {}", label, stream, encoder.columns().size(), server);
            Map<String, String> headers = Map.of(RowEncoder.SCHEMA_HEADER, encoder.schemaJson());
            for (String line = r.readLine(); line != null && running; line = r.readLine()) {
                if (line.isBlank()) {
                    continue;
                }
                counter.addReceived(1);
                byte[] body;
                try {
                    body = encoder.encode(JSON.readTree(line));
                } catch (IOException | RuntimeException e) {
                    counter.incrementEventReadFail();
                    rejectLog.warn("[{}] a row of stream '{}' was skipped (counted in EventReadFail): {}", label,
                            stream, e.getMessage());
                    continue;
                }
                queue.put(Event.wrap(headers, body));
            }
            return true;
        } finally {
            connection = null;
            c.close();
        }
    }

    /** {@code stream} as an rtsql identifier (quoted unless a plain lower-case name). */
    static String quoted(String stream) {
        return stream.matches("[a-z_][a-z0-9_]*") ? stream : "\"" + stream.replace("\"", "") + "\"";
    }

    private static String message(String body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n != null && n.has("message")) {
                return n.get("message").asText();
            }
        } catch (IOException e) {
            // not JSON: the body itself
        }
        return body.isEmpty() ? "(no message)" : body;
    }

    private void commitLoop() {
        List<Event> batch = new ArrayList<>(batchSize);
        try {
            while (running || !queue.isEmpty()) {
                long deadline = 0;
                Event e = queue.poll(200, TimeUnit.MILLISECONDS);
                while (e != null) {
                    if (batch.isEmpty()) {
                        deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(LINGER_MILLIS);
                    }
                    batch.add(e);
                    if (batch.size() >= batchSize) {
                        break;
                    }
                    long wait = deadline - System.nanoTime();
                    e = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : null;
                }
                commit(batch);
                if (!running) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!batch.isEmpty() || !queue.isEmpty()) {
            LOG.warn("[{}] stopped with {} row(s) of stream '{}' not put into the channels", label,
                    batch.size() + queue.size(), stream);
        }
    }

    /** Puts the batch, retrying while the channels refuse it and the source runs; then clears it. */
    private void commit(List<Event> batch) throws InterruptedException {
        long pause = 50;
        while (!batch.isEmpty()) {
            try {
                getChannelProcessor().processEventBatch(batch);
                counter.incrementAppendBatchAccepted();
                counter.addAccepted(batch.size());
                batch.clear();
                return;
            } catch (ChannelException e) {
                counter.incrementChannelWriteFail();
                rejectLog.warn("[{}] the channel refused a batch of {} row(s); retrying (reading from the server is "
                        + "paused meanwhile): {}", label, batch.size(), e.getMessage());
            } catch (RuntimeException e) {
                counter.incrementGenericProcessingFail();
                rejectLog.warn("[{}] putting a batch of {} row(s) failed; retrying: {}", label, batch.size(),
                        e.toString());
            }
            if (!running || stopping.await(pause, TimeUnit.MILLISECONDS)) {
                return;
            }
            pause = Math.min(pause * 2, 1000);
        }
    }
}
