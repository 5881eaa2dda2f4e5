package io.sluice.cli.shell;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.sql.Column;
import io.sluice.sql.Row;
import io.sluice.sql.RtsqlException;
import io.sluice.sql.SqlType;
import io.sluice.sql.StatementResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The shell against an rtsql server ({@code --connect HOST:PORT}) over its HTTP + JSON API:
 * statements are {@code POST /v1/statements} (a SELECT with {@code "watch":true}, so its rows stream
 * back from the first), {@code \f} is {@code GET /v1/flows}, {@code \w} {@code GET /v1/flows/{id}/watch},
 * {@code \d} and {@code \D} {@code DELETE /v1/flows/{id}}. Closing a watch (or the shell) closes its
 * connection; the flows keep running on the server.
 *
 * <p>Thread-safe: the HTTP client is; each watch reads its own response on its own daemon thread.
 */
final class RemoteBackend implements ShellBackend {
    private static final Logger LOG = LoggerFactory.getLogger(RemoteBackend.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String address;
    private final String base;
    private final String token;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /**
     * @param address {@code host:port}
     * @param tls     https (the JVM's trust store decides which certificates are trusted)
     */
    RemoteBackend(String address, String token, boolean tls) {
        this.address = requireNonNull(address, "address is null");
        this.token = requireNonNull(token, "token is null");
        this.base = (tls ? "https://" : "http://") + address;
    }

    /** Checks that the server answers and accepts the token. */
    void check() throws RtsqlException {
        send(request("/v1/flows").GET().build());
    }

    @Override
    public String describe() {
        return "server " + address;
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token);
    }

    private JsonNode send(HttpRequest r) throws RtsqlException {
        HttpResponse<String> resp = exchange(r, HttpResponse.BodyHandlers.ofString());
        return check(resp.statusCode(), resp.body());
    }

    private <T> HttpResponse<T> exchange(HttpRequest r, HttpResponse.BodyHandler<T> body) throws RtsqlException {
        try {
            return http.send(r, body);
        } catch (IOException e) {
            throw unreachable(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RtsqlException("interrupted while waiting for " + describe());
        }
    }

    private RtsqlException unreachable(IOException e) {
        String why = e instanceof ConnectException ? "connection refused" : e.toString();
        return new RtsqlException("cannot reach " + describe() + " (" + why + "); is 'sluice server' running there?"
                + " \\c host:port connects elsewhere");
    }

    private JsonNode check(int status, String body) throws RtsqlException {
        if (status == 401) {
            throw new RtsqlException(describe() + " refused the token (401); give the content of the server's"
                    + " <data-dir>/token with --token-file or SLUICE_TOKEN");
        }
        JsonNode json;
        try {
            json = body.isEmpty() ? JSON.createObjectNode() : JSON.readTree(body);
        } catch (IOException e) {
            throw new RtsqlException(describe() + " answered " + status + " with something that is not JSON");
        }
        if (status / 100 != 2) {
            throw new RtsqlException(json.path("message").asText(describe() + " answered " + status));
        }
        return json;
    }

    private static String body(Map<String, Object> m) {
        try {
            return JSON.writeValueAsString(m);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public Executed execute(String statement, Listener listener) throws RtsqlException {
        boolean watch = listener != null && Statements.isSelect(statement);
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("sql", statement);
        req.put("watch", watch);
        HttpRequest r = request("/v1/statements").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body(req))).build();
        if (!watch) {
            JsonNode json = send(r);
            return new Executed(result(json), flowOf(json.path("flow")), () -> { });
        }
        WatchReader reader = open(r);
        JsonNode first = reader.firstJson();
        List<Column> cols = columns(first.path("columnNames"), first.path("columnTypes"));
        reader.start(cols, listener, "rtsql-watch-" + first.path("flow").path("id").asText());
        return new Executed(result(first), flowOf(first.path("flow")), reader::stop);
    }

    private static StatementResult result(JsonNode json) {
        List<Column> cols = columns(json.path("columnNames"), json.path("columnTypes"));
        List<List<Object>> rows = new ArrayList<>();
        for (JsonNode row : json.path("rows")) {
            rows.add(values(row, cols));
        }
        return new StatementResult(json.path("message").asText(), null, cols, rows);
    }

    private static Optional<FlowView> flowOf(JsonNode f) {
        return f.isObject() ? Optional.of(flowView(f)) : Optional.empty();
    }

    static FlowView flowView(JsonNode f) {
        List<String> waiting = new ArrayList<>();
        f.path("waiting").forEach(w -> waiting.add(w.asText()));
        return new FlowView(f.path("id").asLong(), f.path("state").asText(), f.path("query").asText(),
                f.path("finite").asBoolean(), columns(f.path("columnNames"), f.path("columnTypes")),
                f.path("eventsIn").asLong(), f.path("rowsOut").asLong(), f.path("rejected").asLong(),
                f.path("late").asLong(), f.hasNonNull("failure") ? f.path("failure").asText() : null,
                f.hasNonNull("firstRejected") ? f.path("firstRejected").asText() : null, waiting);
    }

    @Override
    public List<FlowView> flows() throws RtsqlException {
        List<FlowView> out = new ArrayList<>();
        for (JsonNode f : send(request("/v1/flows").GET().build()).path("flows")) {
            out.add(flowView(f));
        }
        return out;
    }

    @Override
    public Optional<FlowView> flow(long id) throws RtsqlException {
        try {
            return Optional.of(flowView(send(request("/v1/flows/" + id).GET().build())));
        } catch (RtsqlException e) {
            if (e.getMessage().contains("does not exist")) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public Watch watch(long id, Listener listener) throws RtsqlException {
        WatchReader reader = open(request("/v1/flows/" + id + "/watch").GET().build());
        JsonNode head = reader.firstJson();
        reader.start(columns(head.path("columnNames"), head.path("columnTypes")), listener, "rtsql-watch-" + id);
        return reader::stop;
    }

    @Override
    public FlowView drop(long id, boolean wait) throws RtsqlException {
        JsonNode json = send(request("/v1/flows/" + id + (wait ? "?wait=true" : "")).DELETE().build());
        return flowView(json.path("flow"));
    }

    @Override
    public FlowView awaitEnd(long id) throws RtsqlException, InterruptedException {
        WatchReader reader = open(request("/v1/flows/" + id + "/watch").GET().build());
        try {
            reader.firstJson();
            return reader.readToEnd();
        } finally {
            reader.stop();
        }
    }

    @Override
    public void close() {
        // nothing held open but watches, which their owners stop; the flows stay on the server
    }

    private WatchReader open(HttpRequest r) throws RtsqlException {
        HttpResponse<InputStream> resp = exchange(r, HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            String body;
            try (InputStream in = resp.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                body = "";
            }
            check(resp.statusCode(), body);
        }
        return new WatchReader(resp.body());
    }

    /** Reads one streamed answer: a first JSON line, then rows, {"skipped":N} and {"end":{...}} lines. */
    private final class WatchReader {
        private final InputStream in;
        private final BufferedReader lines;
        private volatile boolean stopped;

        WatchReader(InputStream in) {
            this.in = in;
            this.lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        JsonNode firstJson() throws RtsqlException {
            try {
                String line = lines.readLine();
                if (line == null) {
                    throw new RtsqlException(describe() + " closed the stream before its first line");
                }
                return JSON.readTree(line);
            } catch (IOException e) {
                throw unreachable(e);
            }
        }

        FlowView readToEnd() throws RtsqlException {
            try {
                String line;
                while ((line = lines.readLine()) != null) {
                    if (line.startsWith("{\"end\"")) {
                        return flowView(JSON.readTree(line).path("end"));
                    }
                }
            } catch (IOException e) {
                throw unreachable(e);
            }
            throw new RtsqlException(describe() + " closed the stream before the flow ended");
        }

        void start(List<Column> cols, Listener listener, String threadName) {
            Thread t = new Thread(() -> pump(cols, listener), threadName);
            t.setDaemon(true);
            t.start();
        }

        private void pump(List<Column> cols, Listener listener) {
            try {
                String line;
                while (!stopped && (line = lines.readLine()) != null) {
                    if (line.startsWith("[")) {
                        listener.onRow(Row.wrap(0, values(JSON.readTree(line), cols).toArray()));
                    } else if (line.startsWith("{\"end\"")) {
                        listener.onEnd(flowView(JSON.readTree(line).path("end")));
                        return;
                    } else if (line.startsWith("{\"skipped\"")) {
                        LOG.warn("[shell] {} row(s) were skipped: this shell did not read them fast enough",
                                JSON.readTree(line).path("skipped").asLong());
                    }
                }
            } catch (IOException e) {
                if (!stopped) {
                    LOG.warn("[shell] the watch of {} broke: {}", describe(), e.toString());
                }
            } finally {
                stop();
            }
        }

        void stop() {
            stopped = true;
            try {
                in.close();
            } catch (IOException e) {
                LOG.debug("[shell] closing a watch failed", e);
            }
        }
    }

    // ---- JSON to typed values ----

    static List<Column> columns(JsonNode names, JsonNode types) {
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            cols.add(new Column(names.get(i).asText(), type(types.path(i).asText("STRING"))));
        }
        return cols;
    }

    /** The type written as {@link SqlType#name()} ({@code INT NOT NULL}, {@code PRECISE(2)}, {@code LIST<INT>}). */
    static SqlType type(String name) {
        String n = name.strip().toUpperCase(Locale.ROOT);
        boolean notNull = n.endsWith(" NOT NULL");
        if (notNull) {
            n = n.substring(0, n.length() - 9).strip();
        }
        SqlType t;
        if (n.startsWith("PRECISE(") && n.endsWith(")")) {
            t = SqlType.precise(Integer.parseInt(n.substring(8, n.length() - 1).strip()));
        } else if (n.startsWith("LIST<") && n.endsWith(">")) {
            t = SqlType.list(type(n.substring(5, n.length() - 1)));
        } else {
            try {
                t = SqlType.of(SqlType.Kind.valueOf(n));
            } catch (IllegalArgumentException e) {
                t = SqlType.STRING;
            }
        }
        return notNull ? t.notNull() : t;
    }

    static List<Object> values(JsonNode row, List<Column> cols) {
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < row.size(); i++) {
            out.add(value(row.get(i), i < cols.size() ? cols.get(i).type() : SqlType.STRING));
        }
        return out;
    }

    private static Object value(JsonNode v, SqlType t) {
        if (v == null || v.isNull()) {
            return null;
        }
        switch (t.kind()) {
            case BOOLEAN: return v.asBoolean();
            case INT: return v.asInt();
            case BIGINT: case TIMESTAMP: return v.asLong();
            case FLOAT: return (float) v.asDouble();
            case DOUBLE: return v.asDouble();
            case PRECISE: return new BigDecimal(v.asText());
            case BINARY: return Base64.getDecoder().decode(v.asText());
            case LIST: {
                List<Object> l = new ArrayList<>();
                v.forEach(x -> l.add(value(x, t.elementType())));
                return l;
            }
            default: return v.isTextual() ? v.asText() : v.toString();
        }
    }
}
