package io.sluice.metrics.sink;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.console.AccessToken;
import io.sluice.core.http.HttpEndpointServer;
import io.sluice.core.http.HttpEndpointServer.Answer;
import io.sluice.core.http.HttpEndpointServer.Request;
import io.sluice.metrics.query.Evaluator;
import io.sluice.metrics.query.Expr;
import io.sluice.metrics.query.Matrix;
import io.sluice.metrics.query.QueryException;
import io.sluice.metrics.query.QueryParser;
import io.sluice.metrics.query.QueryTimeoutException;
import io.sluice.metrics.store.MetricsStore;
import io.sluice.metrics.store.SeriesKey;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The query API of a {@code metrics} sink's store, on its own port of an
 * {@link HttpEndpointServer} bound to {@code query.bind} (127.0.0.1): every request shows
 * {@code Authorization: Bearer <token>}, the token written to {@code <agent>-<port>.token} (mode
 * 0600) in the run directory, as the agent's tap token is, or set with {@code query.token}.
 *
 * <ul>
 *   <li>{@code GET /api/query?q=<query>&from=<ms>&to=<ms>&resolution=<ms>&value=<field>}, or
 *       {@code last=<ms>} for the range ending now: {@code {"resolution":…,"times":[…],
 *       "series":[{"labels":{…},"values":[…]}]}} with {@code null} where a series has no value.</li>
 *   <li>{@code GET /api/v1/query_range?query=&start=&end=&step=} and
 *       {@code GET /api/v1/series?match[]=&start=&end=}: Prometheus' answer shapes (times in
 *       seconds, as numbers or RFC 3339), so a dashboard speaking Prometheus can chart the store.</li>
 *   <li>{@code GET /api/v1/stream?match[]=<selector>[&match[]=...][&buffer=n]}: the samples stored
 *       from now on that match any selector, as chunked JSON lines ({@link SampleStreams}).</li>
 * </ul>
 *
 * The token is checked on the server's event loop; queries run on a pool of {@code query.threads}
 * workers with {@code query.queueSize} more waiting (a full queue is answered 503 at once), each
 * for at most {@code query.timeout} ms (then answered 503 and stopped), so a long query never holds
 * up another connection of the server. Thread-safe.
 */
final class QueryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QueryServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String JSON_TYPE = "application/json; charset=utf-8";

    static final int DEFAULT_THREADS = 2;
    static final int DEFAULT_QUEUE = 16;
    static final long DEFAULT_TIMEOUT_MILLIS = 30_000;

    /**
     * Where and how to serve: {@code threads} workers run queries, {@code queueSize} more wait for
     * one, and a query runs at most {@code timeoutMillis} from its arrival.
     */
    record Settings(String bind, int port, String token, Path runDirectory, String agent, int threads, int queueSize,
            long timeoutMillis) {
        Settings(String bind, int port, String token, Path runDirectory, String agent) {
            this(bind, port, token, runDirectory, agent, DEFAULT_THREADS, DEFAULT_QUEUE, DEFAULT_TIMEOUT_MILLIS);
        }
    }

    /** Runs before each query on its worker; tests hold queries with it. */
    interface Hook {
        void beforeQuery() throws InterruptedException;
    }

    private final HttpEndpointServer server;
    private final AccessToken token;
    private final int port;
    private final ThreadPoolExecutor workers;
    private final SampleStreams streams;

    private QueryServer(HttpEndpointServer server, AccessToken token, int port, ThreadPoolExecutor workers,
            SampleStreams streams) {
        this.server = server;
        this.token = token;
        this.port = port;
        this.workers = workers;
        this.streams = streams;
    }

    SampleStreams streams() {
        return streams;
    }

    int port() {
        return port;
    }

    AccessToken token() {
        return token;
    }

    /** Queries accepted and waiting for a free worker. */
    int queriesWaiting() {
        return workers.getQueue().size();
    }

    static QueryServer start(String label, MetricsStore store, Clock clock, Settings s) throws IOException {
        return start(label, store, clock, s, () -> { });
    }

    static QueryServer start(String label, MetricsStore store, Clock clock, Settings s, Hook hook)
            throws IOException {
        requireNonNull(store, "store is null");
        AccessToken[] holder = {s.token() == null ? AccessToken.random() : AccessToken.of(s.token())};
        AtomicInteger threadNo = new AtomicInteger();
        ThreadPoolExecutor workers = new ThreadPoolExecutor(s.threads(), s.threads(), 60, TimeUnit.SECONDS,
                s.queueSize() == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(s.queueSize()), r -> {
                    Thread t = new Thread(r, label + "-query-" + threadNo.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                }, new ThreadPoolExecutor.AbortPolicy());
        workers.allowCoreThreadTimeOut(true);
        Offload offload = new Offload(workers, s, hook);
        Map<String, HttpEndpointServer.Route> routes = new LinkedHashMap<>();
        routes.put("/api/query", offload.route(holder, (r, ms) -> query(store, clock, r, ms)));
        routes.put("/api/v1/query_range", offload.route(holder, (r, ms) -> queryRange(store, clock, r, ms)));
        routes.put("/api/v1/series", offload.route(holder, (r, ms) -> series(store, clock, r)));
        // The live feed answers at once (its body streams from SampleStreams' pump), so it stays on the event loop.
        SampleStreams streams = new SampleStreams(label, store);
        routes.put("/api/v1/stream", r -> {
            if (!holder[0].accepts(r.header("Authorization"))) {
                return unauthorized();
            }
            try {
                return stream(streams, r);
            } catch (QueryException | IllegalArgumentException e) {
                return error(e.getMessage());
            }
        });
        HttpEndpointServer server = new HttpEndpointServer(label + " query", routes, new CounterGroup("HTTP",
                label + ".query"));
        int bound;
        try {
            bound = server.start(InetAddress.getByName(s.bind()), s.port()).getPort();
        } catch (IOException | RuntimeException e) {
            workers.shutdownNow();
            server.close();
            streams.close();
            throw new IOException("cannot serve the metrics query API on " + s.bind() + ":" + s.port() + ": "
                    + e.getMessage() + " (is the port in use? set query.port to another)", e);
        }
        if (s.token() == null) {
            try {
                holder[0] = holder[0].writtenTo(s.runDirectory(), s.agent(), bound);
            } catch (IOException e) {
                workers.shutdownNow();
                server.close();
                streams.close();
                throw new IOException("cannot write the query token to " + AccessToken.fileFor(s.runDirectory(),
                        s.agent(), bound) + ": " + e.getMessage() + " (set -Dsluice.run.dir or query.token)", e);
            }
        }
        LOG.info("[{}] metrics query API on http://{}:{}/api/query (token in {})", label, s.bind(), bound,
                holder[0].file() == null ? "query.token" : holder[0].file());
        return new QueryServer(server, holder[0], bound, workers, streams);
    }

    /** One query's work, given the milliseconds it may still run. */
    private interface Body {
        Answer get(Request r, long remainingMillis);
    }

    /**
     * Hands queries from the HTTP event loop to the bounded worker pool: the token is checked on
     * the event loop (cheap), the query runs on a worker; a full queue is answered 503 at once, and
     * a query still running at its timeout is answered 503 and interrupted.
     */
    private record Offload(ThreadPoolExecutor workers, Settings settings, Hook hook) {
        HttpEndpointServer.Route route(AccessToken[] token, Body body) {
            return HttpEndpointServer.deferred(r -> {
                if (!token[0].accepts(r.header("Authorization"))) {
                    return CompletableFuture.completedFuture(unauthorized());
                }
                long arrived = System.nanoTime();
                long timeout = settings.timeoutMillis();
                CompletableFuture<Answer> answer = new CompletableFuture<>();
                Future<?> task;
                try {
                    task = workers.submit(() -> {
                        try {
                            hook.beforeQuery();
                            long remaining = timeout - (System.nanoTime() - arrived) / 1_000_000;
                            if (remaining <= 0) {
                                answer.complete(timedOut(timeout));
                                return;
                            }
                            answer.complete(run(body, r, remaining));
                        } catch (InterruptedException e) {
                            answer.complete(timedOut(timeout));
                        } catch (RuntimeException | Error e) {
                            answer.completeExceptionally(e);
                        }
                    });
                } catch (RejectedExecutionException e) {
                    return CompletableFuture.completedFuture(error(503, "unavailable", "too many queries: "
                            + workers.getActiveCount() + " running and " + workers.getQueue().size() + " waiting"
                            + " (query.threads=" + settings.threads() + ", query.queueSize=" + settings.queueSize()
                            + "); retry later, or raise query.queueSize or query.threads")
                            .withHeader("Retry-After", "1"));
                }
                answer.completeOnTimeout(timedOut(timeout), timeout, TimeUnit.MILLISECONDS);
                answer.whenComplete((a, e) -> task.cancel(true));
                return answer;
            });
        }
    }

    private static Answer unauthorized() {
        return new Answer(401, "text/plain; charset=utf-8", "show the query token: Authorization: Bearer <token> (see"
                + " the token file named in the agent's log)\n").withHeader("WWW-Authenticate", "Bearer");
    }

    private static Answer run(Body body, Request r, long remainingMillis) {
        try {
            return body.get(r, remainingMillis);
        } catch (QueryTimeoutException e) {
            return error(503, "timeout", e.getMessage());
        } catch (QueryException | IllegalArgumentException e) {
            return error(e.getMessage());
        }
    }

    private static Answer timedOut(long timeoutMillis) {
        return error(503, "timeout", "the query did not finish within " + timeoutMillis + " ms (query.timeout);"
                + " select fewer series or a shorter range, or raise query.timeout");
    }

    private static Answer error(String message) {
        return error(400, "bad_data", message);
    }

    private static Answer error(int status, String type, String message) {
        ObjectNode o = JSON.createObjectNode();
        o.put("status", "error");
        o.put("errorType", type);
        o.put("error", message);
        return new Answer(status, JSON_TYPE, o.toString());
    }

    private static long millis(Request r, String name, long dflt) {
        String v = r.parameter(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new QueryException(name + "=" + v + " is not a number of milliseconds");
        }
    }

    /** Prometheus' time parameters: seconds (possibly fractional) or RFC 3339. */
    private static long promTime(Request r, String name, long dflt) {
        String v = r.parameter(name);
        if (v == null || v.isBlank()) {
            return dflt;
        }
        try {
            return Math.round(Double.parseDouble(v.trim()) * 1000);
        } catch (NumberFormatException e) {
            try {
                return Instant.parse(v.trim()).toEpochMilli();
            } catch (DateTimeParseException e2) {
                throw new QueryException(name + "=" + v + " is neither seconds since the epoch nor an RFC 3339 time");
            }
        }
    }

    private static Answer query(MetricsStore store, Clock clock, Request r, long timeoutMillis) {
        long now = clock.millis();
        String q = r.parameter("q");
        long last = millis(r, "last", -1);
        long to = millis(r, "to", now);
        long from = last >= 0 ? to - last : millis(r, "from", to - 3_600_000L);
        Evaluator ev = new Evaluator(store, now, r.parameter("value"), timeoutMillis);
        Matrix m = ev.evaluate(QueryParser.parse(q), from, to, millis(r, "resolution", 0));
        return json(64 + m.rows().size() * (32 + 8 * m.times().length), g -> {
            g.writeStartObject();
            g.writeNumberField("resolution", m.resolutionMillis());
            g.writeArrayFieldStart("times");
            for (long t : m.times()) {
                g.writeNumber(t);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("series");
            for (Matrix.Row row : m.rows()) {
                g.writeStartObject();
                writeLabels(g, "labels", row.labels());
                g.writeArrayFieldStart("values");
                for (double v : row.values()) {
                    if (Double.isFinite(v)) {
                        g.writeNumber(v);
                    } else {
                        g.writeNull();
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        });
    }

    /** Writes a JSON answer, status 200, as it is generated: no tree of the answer is built first. */
    private interface JsonBody {
        void write(JsonGenerator g) throws IOException;
    }

    private static Answer json(int sizeHint, JsonBody body) {
        StringWriter text = new StringWriter(sizeHint);
        try (JsonGenerator g = JSON.getFactory().createGenerator(text)) {
            body.write(g);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not fail
        }
        return new Answer(200, JSON_TYPE, text.toString());
    }

    private static void writeLabels(JsonGenerator g, String field, Map<String, String> labels) throws IOException {
        g.writeObjectFieldStart(field);
        for (Map.Entry<String, String> e : labels.entrySet()) {
            g.writeStringField(e.getKey(), e.getValue());
        }
        g.writeEndObject();
    }

    private static Answer queryRange(MetricsStore store, Clock clock, Request r, long timeoutMillis) {
        long now = clock.millis();
        long end = promTime(r, "end", now);
        long start = promTime(r, "start", end - 3_600_000L);
        long step = promTime(r, "step", 0);
        Matrix m = new Evaluator(store, now, r.parameter("value"), timeoutMillis).evaluate(
                QueryParser.parse(r.parameter("query")), start, end, step);
        return json(64 + m.rows().size() * (32 + 24 * m.times().length), g -> {
            g.writeStartObject();
            g.writeStringField("status", "success");
            g.writeObjectFieldStart("data");
            g.writeStringField("resultType", "matrix");
            g.writeArrayFieldStart("result");
            for (Matrix.Row row : m.rows()) {
                g.writeStartObject();
                writeLabels(g, "metric", row.labels());
                g.writeArrayFieldStart("values");
                for (int i = 0; i < m.times().length; i++) {
                    double v = row.values()[i];
                    if (!Double.isNaN(v)) {
                        g.writeStartArray();
                        g.writeNumber(m.times()[i] / 1000.0);
                        g.writeString(promValue(v));
                        g.writeEndArray();
                    }
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        });
    }

    private static String promValue(double v) {
        if (Double.isInfinite(v)) {
            return v > 0 ? "+Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    private static Answer series(MetricsStore store, Clock clock, Request r) {
        List<String> matches = new QueryStringDecoder(r.http().uri()).parameters().get("match[]");
        if (matches == null || matches.isEmpty()) {
            throw new QueryException("match[] is required: a selector such as up{job=\"node\"}");
        }
        Map<String, Map<String, String>> seen = new TreeMap<>();
        for (String m : matches) {
            Expr e = QueryParser.parse(m);
            if (!(e instanceof Expr.Selector s)) {
                throw new QueryException("match[]=" + m + " is not a selector");
            }
            for (SeriesKey k : Evaluator.keys(store, s)) {
                Map<String, String> labels = new TreeMap<>(k.labels());
                labels.put("__name__", k.name());
                seen.put(k.toString(), labels);
            }
        }
        ObjectNode o = JSON.createObjectNode();
        o.put("status", "success");
        ArrayNode data = o.putArray("data");
        for (Map<String, String> labels : seen.values()) {
            ObjectNode s = data.addObject();
            labels.forEach(s::put);
        }
        return new Answer(200, JSON_TYPE, o.toString());
    }

    /** The live feed: {@code match[]} selectors, {@code buffer} samples held for a slow reader. */
    private static Answer stream(SampleStreams streams, Request r) {
        List<String> matches = new QueryStringDecoder(r.http().uri()).parameters().get("match[]");
        if (matches == null || matches.isEmpty()) {
            throw new QueryException("match[] is required: a selector such as temperature{dc=\"jb\"}");
        }
        List<Expr.Selector> selectors = new ArrayList<>();
        for (String m : matches) {
            Expr e = QueryParser.parse(m);
            if (!(e instanceof Expr.Selector s)) {
                throw new QueryException("match[]=" + m + " is not a selector (name{label=\"value\",...}); functions and"
                        + " reductions are not streamed");
            }
            selectors.add(s);
        }
        String b = r.parameter("buffer");
        int buffer = SampleStreams.DEFAULT_BUFFER;
        if (b != null && !b.isBlank()) {
            try {
                buffer = Integer.parseInt(b.trim());
            } catch (NumberFormatException e) {
                buffer = -1;
            }
            if (buffer < 1 || buffer > 1_000_000) {
                throw new QueryException("buffer=" + b + " (expected: 1 to 1000000 samples; default "
                        + SampleStreams.DEFAULT_BUFFER + ")");
            }
        }
        if ("HEAD".equals(r.http().method().name())) {
            return new Answer(200, "application/x-ndjson; charset=utf-8", "");
        }
        return Answer.stream("application/x-ndjson; charset=utf-8", streams.subscribe(selectors, buffer));
    }

    @Override
    public void close() {
        server.close();
        workers.shutdownNow();
        streams.close();
        if (token.file() != null) {
            token.delete();
        }
    }
}
