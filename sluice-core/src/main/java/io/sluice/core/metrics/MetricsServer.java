package io.sluice.core.metrics;

import static java.util.Objects.requireNonNull;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.sluice.api.metrics.CounterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves an agent's counters over HTTP: {@code GET /metrics} in Apache Flume's JSON shape,
 * {@code GET /prometheus} in the Prometheus text format. Bind it to 127.0.0.1 unless the counters
 * may be seen from other hosts. The counters are looked up on each request, so a reloaded agent's
 * new counters are served. Thread-safe; {@link #close()} stops it.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final String agentName;

    private MetricsServer(HttpServer server, ExecutorService executor, String agentName) {
        this.server = server;
        this.executor = executor;
        this.agentName = agentName;
    }

    /**
     * Binds {@code bindHost:port} (port 0 picks a free one) and starts serving.
     *
     * @throws IOException if the address cannot be bound (the message names it)
     */
    public static MetricsServer start(String bindHost, int port, String agentName,
            Supplier<CounterRegistry> counters) throws IOException {
        requireNonNull(bindHost, "bindHost is null");
        requireNonNull(agentName, "agentName is null");
        requireNonNull(counters, "counters is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(bindHost, port), 16);
        } catch (IOException e) {
            throw new IOException("cannot serve metrics on " + bindHost + ":" + port + ": " + e.getMessage()
                    + " (is the port in use? pick another with --metrics-port or -Dflume.monitoring.port)", e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "metrics-http-" + agentName);
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/metrics", ex -> respond(ex, "application/json;charset=utf-8",
                () -> FlumeJson.render(registry(counters))));
        server.createContext("/prometheus", ex -> respond(ex, "text/plain; version=0.0.4; charset=utf-8",
                () -> PrometheusText.render(agentName, registry(counters))));
        server.start();
        MetricsServer m = new MetricsServer(server, executor, agentName);
        LOG.info("[{}] serving metrics on http://{}:{}/metrics and /prometheus", agentName, bindHost, m.port());
        return m;
    }

    private static CounterRegistry registry(Supplier<CounterRegistry> counters) {
        CounterRegistry r = counters.get();
        return r == null ? new CounterRegistry() : r;
    }

    private static void respond(HttpExchange ex, String contentType, Supplier<String> body) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getPath();
            if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                send(ex, 405, "text/plain; charset=utf-8", "only GET is supported\n");
                return;
            }
            if (!path.equals("/metrics") && !path.equals("/prometheus") && !path.equals("/metrics/")
                    && !path.equals("/prometheus/")) {
                send(ex, 404, "text/plain; charset=utf-8", "not found: try /metrics or /prometheus\n");
                return;
            }
            String text;
            try {
                text = body.get();
            } catch (RuntimeException e) {
                LOG.warn("rendering metrics failed", e);
                send(ex, 500, "text/plain; charset=utf-8", "rendering metrics failed: " + e + "\n");
                return;
            }
            send(ex, 200, contentType, text);
        }
    }

    private static void send(HttpExchange ex, int status, String contentType, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().set("Content-Type", contentType);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    public int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        LOG.info("[{}] metrics server stopped", agentName);
    }
}
