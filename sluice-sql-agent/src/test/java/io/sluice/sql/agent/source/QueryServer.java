package io.sluice.sql.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A hand-written rtsql server's {@code POST /query-stream} over a real socket: each known stream has
 * a header line and a queue of row lines the test feeds; an unknown stream is answered 400 with the
 * shell's kind of message; a wrong token 401.
 */
final class QueryServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String token;
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();
    private final Map<String, String> headers = new ConcurrentHashMap<>();
    private final Map<String, LinkedBlockingQueue<String>> rows = new ConcurrentHashMap<>();
    final List<String> statements = new CopyOnWriteArrayList<>();
    final AtomicInteger refused = new AtomicInteger();
    final AtomicInteger unauthorized = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();
    private volatile boolean closed;

    QueryServer(int port, String token) throws IOException {
        this.token = token;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 50);
        server.setExecutor(pool);
        server.createContext("/query-stream", this::handle);
        server.start();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Defines {@code stream} with its column names and rtsql types. */
    void define(String stream, List<String> names, List<String> types) throws IOException {
        headers.put(stream, JSON.writeValueAsString(Map.of("queryId", "q-" + stream, "columnNames", names,
                "columnTypes", types)));
        rows.putIfAbsent(stream, new LinkedBlockingQueue<>());
    }

    /** Queues a row (a JSON array text) of {@code stream} for the open query. */
    void row(String stream, String jsonArray) {
        rows.get(stream).add(jsonArray);
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!("Bearer " + token).equals(ex.getRequestHeaders().getFirst("Authorization"))) {
                unauthorized.incrementAndGet();
                ex.sendResponseHeaders(401, -1);
                return;
            }
            JsonNode req;
            try (InputStream in = ex.getRequestBody()) {
                req = JSON.readTree(in);
            }
            String sql = req.get("sql").asText();
            statements.add(sql);
            String stream = sql.substring(sql.lastIndexOf(' ') + 1).replace("\"", "");
            String header = headers.get(stream);
            if (header == null) {
                refused.incrementAndGet();
                byte[] body = JSON.writeValueAsBytes(Map.of("error", "statement", "message",
                        "line 1:15: stream '" + stream + "' does not exist"));
                ex.getResponseHeaders().add("Content-Type", "application/json");
                ex.sendResponseHeaders(400, body.length);
                ex.getResponseBody().write(body);
                return;
            }
            ex.getResponseHeaders().add("Content-Type", "application/x-ndjson");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write((header + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            open.incrementAndGet();
            LinkedBlockingQueue<String> q = rows.get(stream);
            try {
                while (!closed) {
                    String r = q.poll(100, TimeUnit.MILLISECONDS);
                    if (r != null) {
                        out.write((r + "\n").getBytes(StandardCharsets.UTF_8));
                        out.flush();
                    }
                }
            } finally {
                open.decrementAndGet();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        closed = true;
        server.stop(0);
        pool.shutdownNow();
    }
}
