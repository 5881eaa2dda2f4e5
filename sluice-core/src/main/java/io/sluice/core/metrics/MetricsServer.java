package io.sluice.core.metrics;

import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.core.console.AccessToken;
import io.sluice.core.console.ConsoleRoutes;
import io.sluice.core.console.TapStreams;
import io.sluice.core.http.HttpEndpointServer;
import io.sluice.core.http.HttpEndpointServer.Answer;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Serves an agent's counters over HTTP: {@code GET /metrics} in Apache Flume's JSON shape,
 * {@code GET /prometheus} in the Prometheus text format. Bind it to 127.0.0.1 unless the counters
 * may be seen from other hosts. The counters are looked up on each request, so a reloaded agent's
 * new counters are served. It runs on an {@link HttpEndpointServer}, so a slow or stalled client
 * (half a request line, a body that never ends) holds only its own connection until the read
 * timeout closes it, and never delays another client. Started with a console, it also serves the
 * web console, the topology and taps ({@link ConsoleRoutes}), to loopback clients only; the tap
 * token is written to {@code <run directory>/<agent>-<port>.token} (mode 0600) and removed on close.
 * Thread-safe; {@link #close()} stops it.
 */
public final class MetricsServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpEndpointServer server;
    private final String agentName;
    private final int port;
    private final AccessToken token;
    private final TapStreams streams;

    private MetricsServer(HttpEndpointServer server, String agentName, int port, AccessToken token,
            TapStreams streams) {
        this.server = server;
        this.agentName = agentName;
        this.port = port;
        this.token = token;
        this.streams = streams;
    }

    /**
     * Binds {@code bindHost:port} (port 0 picks a free one) and starts serving.
     *
     * @throws IOException if the address cannot be bound (the message names it)
     */
    public static MetricsServer start(String bindHost, int port, String agentName,
            Supplier<CounterRegistry> counters) throws IOException {
        return start(bindHost, port, agentName, counters, null, null);
    }

    /**
     * Binds and starts serving the counters and, when {@code console} is given, the web console,
     * topology and taps, writing the tap token into {@code runDirectory}.
     *
     * @throws IOException if the address cannot be bound (a token that cannot be written is logged
     *     as a warning: the counters are served all the same)
     */
    public static MetricsServer start(String bindHost, int port, String agentName,
            Supplier<CounterRegistry> counters, ConsoleRoutes.Source console, Path runDirectory) throws IOException {
        requireNonNull(bindHost, "bindHost is null");
        requireNonNull(agentName, "agentName is null");
        requireNonNull(counters, "counters is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
        Map<String, HttpEndpointServer.Route> routes = new LinkedHashMap<>();
        routes.put("/metrics", r -> render("application/json;charset=utf-8",
                () -> FlumeJson.render(registry(counters))));
        routes.put("/prometheus", r -> render("text/plain; version=0.0.4; charset=utf-8",
                () -> PrometheusText.render(agentName, registry(counters))));
        AccessToken token = null;
        TapStreams streams = null;
        if (console != null) {
            requireNonNull(runDirectory, "runDirectory is null");
            token = AccessToken.random();
            streams = new TapStreams(agentName);
            routes.putAll(ConsoleRoutes.routes(console, token, streams));
        }
        HttpEndpointServer server = new HttpEndpointServer(agentName + " metrics", routes,
                new CounterGroup("HTTP", "metrics"));
        int bound;
        try {
            bound = server.start(InetAddress.getByName(bindHost), port).getPort();
        } catch (IOException | RuntimeException e) {
            server.close();
            if (streams != null) {
                streams.close();
            }
            throw new IOException("cannot serve metrics on " + bindHost + ":" + port + ": " + e.getMessage()
                    + " (is the port in use? pick another with --metrics-port or -Dflume.monitoring.port)", e);
        }
        if (token != null) {
            try {
                token = token.writtenTo(runDirectory, agentName, bound);
            } catch (IOException | RuntimeException e) {
                // The counters matter more than the tap: keep serving; the console's URL below still carries the token.
                LOG.warn("[{}] cannot write the tap token to {} ({}); sluice tap needs --token-file until -Dsluice.run.dir"
                        + " names a writable directory", agentName, AccessToken.fileFor(runDirectory, agentName, bound),
                        e.toString());
            }
        }
        MetricsServer m = new MetricsServer(server, agentName, bound, token, streams);
        LOG.info("[{}] serving metrics on http://{}:{}/metrics and /prometheus", agentName, bindHost, bound);
        if (token != null) {
            LOG.info("[{}] web console: http://127.0.0.1:{}/#token={} ({})", agentName, bound, token.value(),
                    token.file() == null ? "the tap token is in no file" : "tap token in " + token.file());
        }
        return m;
    }

    private static CounterRegistry registry(Supplier<CounterRegistry> counters) {
        CounterRegistry r = counters.get();
        return r == null ? new CounterRegistry() : r;
    }

    private static Answer render(String contentType, Supplier<String> body) {
        try {
            return new Answer(200, contentType, body.get());
        } catch (RuntimeException e) {
            LOG.warn("rendering metrics failed", e);
            return new Answer(500, "text/plain; charset=utf-8", "rendering metrics failed: " + e + "\n");
        }
    }

    public int port() {
        return port;
    }

    /** The tap token, or null when the console is off. */
    public AccessToken token() {
        return token;
    }

    @Override
    public void close() {
        server.close();
        if (streams != null) {
            streams.close();
        }
        if (token != null) {
            token.delete();
        }
        LOG.info("[{}] metrics server stopped", agentName);
    }
}
