package io.sluice.sql.server;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.sluice.sql.EngineOptions;
import io.sluice.sql.RtsqlEngine;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * The rtsql server: one long-lived engine, running its flows in parallel on a pool of threads, whose
 * streams and flows are kept in a {@link Metastore},
 * agents registered in a {@link NodeRegistry} feeding its NODE streams, and the HTTP + JSON API in
 * front, every request checked against the {@link TokenFile token}. Start order: data directory and
 * token, engine, metastore restore (every recorded flow runs again), then the listener; close stops
 * the listener, then the flows (which stay recorded, so the next start runs them again).
 *
 * <p>Thread-safe.
 */
public final class SqlServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SqlServer.class);
    static final long HEARTBEAT_MILLIS = 5_000;

    private final ServerOptions options;
    private final String token;
    private final NodeRegistry nodes = new NodeRegistry();
    private final RtsqlEngine engine;
    private final Metastore metastore;
    private final ApiHttpServer http;
    private final ScheduledExecutorService timer;
    private final InetSocketAddress address;

    private SqlServer(ServerOptions options, EngineOptions.Builder engineOptions) throws IOException {
        this.options = requireNonNull(options, "options is null");
        Files.createDirectories(options.dataDir());
        this.token = TokenFile.loadOrCreate(options.dataDir());
        SslContext ssl = options.tlsKeystore() == null ? null : ssl(options);
        if (!engineOptions.hasFlowThreads()) {
            engineOptions.flowThreads(Runtime.getRuntime().availableProcessors());
        }
        this.engine = new RtsqlEngine(engineOptions.eventSource(nodes.provider()).build());
        this.metastore = new Metastore(options.dataDir());
        try {
            LOG.info("[rtsql server] {}", metastore.restore(engine));
            this.http = new ApiHttpServer(token, new ApiRoutes(engine, nodes, options.maxRequestBytes()), new ApiHttpServer.Limits(
                    options.maxConnections(), options.idleTimeoutMillis(), options.readTimeoutMillis(),
                    options.maxRequestBytes(), Math.max(4, Runtime.getRuntime().availableProcessors() * 2)), ssl);
            this.address = http.start(options.bind(), options.port());
        } catch (IOException | RuntimeException e) {
            engine.close();
            throw e;
        }
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "rtsql-server-heartbeat");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleAtFixedRate(nodes::heartbeat, HEARTBEAT_MILLIS, HEARTBEAT_MILLIS, TimeUnit.MILLISECONDS);
        LOG.info("[rtsql server] listening on {}://{}:{} (data in {})", ssl == null ? "http" : "https",
                address.getAddress().getHostAddress(), address.getPort(), options.dataDir());
    }

    /** Starts a server; the engine reads relative FILE paths from the current directory. */
    public static SqlServer start(ServerOptions options) throws IOException {
        return new SqlServer(options, EngineOptions.builder());
    }

    /**
     * Starts a server whose engine is set up from {@code engineOptions} (a NODE provider is added;
     * flows run on a pool of as many threads as the machine has cores unless the builder says).
     */
    public static SqlServer start(ServerOptions options, EngineOptions.Builder engineOptions) throws IOException {
        return new SqlServer(options, engineOptions);
    }

    private static SslContext ssl(ServerOptions o) throws IOException {
        try (InputStream in = Files.newInputStream(o.tlsKeystore())) {
            KeyStore ks = KeyStore.getInstance(o.tlsKeystoreType());
            ks.load(in, o.tlsPassword().toCharArray());
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, o.tlsPassword().toCharArray());
            return SslContextBuilder.forServer(kmf).build();
        } catch (GeneralSecurityException | IOException e) {
            throw new IOException("--tls-keystore " + o.tlsKeystore() + " (type " + o.tlsKeystoreType()
                    + ") cannot be used: " + e.getMessage() + "; check the path, --tls-keystore-password and"
                    + " --tls-keystore-type", e);
        }
    }

    /** The bound address (the real port when 0 was asked). */
    public InetSocketAddress address() {
        return address;
    }

    /** The bearer token every request must carry. */
    public String token() {
        return token;
    }

    public RtsqlEngine engine() {
        return engine;
    }

    public NodeRegistry nodes() {
        return nodes;
    }

    public ServerOptions options() {
        return options;
    }

    @Override
    public void close() {
        timer.shutdownNow();
        http.close();
        engine.close();
        LOG.info("[rtsql server] stopped");
    }
}
