package io.sluice.cli.server;

import io.sluice.sql.EngineOptions;
import io.sluice.sql.agent.AgentSourceProvider;
import io.sluice.sql.server.ServerOptions;
import io.sluice.sql.server.SqlServer;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code sluice server [--port 9292] [--bind 127.0.0.1] [--data-dir DIR] [--tls-keystore FILE ...]}:
 * runs the rtsql server until it is stopped (SIGTERM or Ctrl-C stop it gracefully; its flows stay
 * recorded and run again at the next start). Exit status: 2 on bad arguments, 1 when it cannot
 * start.
 */
@Command(name = "server", mixinStandardHelpOptions = true,
        description = "Run the rtsql server: flows that outlive shells and restarts, an HTTP + JSON API for"
                + " remote shells and curl, and live taps of agents started with --rtsql-server.")
public final class ServerCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", paramLabel = "PORT", defaultValue = "9292",
            description = "The port to listen on (default: ${DEFAULT-VALUE}; 0 picks a free one).")
    int port;

    @Option(names = "--bind", paramLabel = "ADDRESS", defaultValue = "127.0.0.1",
            description = "The address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface:"
                    + " use --tls-keystore then).")
    String bind;

    @Option(names = "--data-dir", paramLabel = "DIR", defaultValue = "data/rtsql-server",
            description = "Where the token and the metastore are kept (default: ${DEFAULT-VALUE}).")
    Path dataDir;

    @Option(names = "--tls-keystore", paramLabel = "FILE",
            description = "A key store with the server's key and certificate: serve HTTPS instead of HTTP.")
    Path tlsKeystore;

    @Option(names = "--tls-keystore-password", paramLabel = "PASSWORD", defaultValue = "${env:SLUICE_TLS_PASSWORD}",
            description = "The key store's password (default: the SLUICE_TLS_PASSWORD environment variable).")
    String tlsPassword;

    @Option(names = "--tls-keystore-type", paramLabel = "TYPE", defaultValue = "PKCS12",
            description = "The key store's type (default: ${DEFAULT-VALUE}; also JKS).")
    String tlsType;

    @Option(names = "--max-connections", paramLabel = "N", defaultValue = "256",
            description = "Connections at once; more are refused (default: ${DEFAULT-VALUE}).")
    int maxConnections;

    @Option(names = "--idle-timeout", paramLabel = "MS", defaultValue = "60000",
            description = "A connection with no request for this many ms is closed (default: ${DEFAULT-VALUE}).")
    long idleTimeout;

    @Option(names = "--max-request-bytes", paramLabel = "BYTES", defaultValue = "4194304",
            description = "The largest request body; larger ones are answered 413 (default: ${DEFAULT-VALUE}).")
    int maxRequestBytes;

    @Option(names = "--threads", paramLabel = "N",
            description = "Threads the flows run on; each flow runs on one at a time, so its rows stay in order,"
                    + " and up to N flows run at once (default: the number of cores).")
    Integer threads;

    @Override
    public Integer call() throws Exception {
        PrintWriter err = spec.commandLine().getErr();
        InetAddress address;
        try {
            address = InetAddress.getByName(bind);
        } catch (UnknownHostException e) {
            err.println("sluice server: --bind " + bind + ": not an address of this host");
            err.flush();
            return 2;
        }
        ServerOptions options;
        try {
            options = ServerOptions.defaults(port, dataDir.toAbsolutePath()).withBind(address)
                    .withLimits(maxConnections, idleTimeout, 10_000, maxRequestBytes);
        } catch (IllegalArgumentException e) {
            err.println("sluice server: " + e.getMessage());
            err.flush();
            return 2;
        }
        if (tlsKeystore != null) {
            options = options.withTls(tlsKeystore.toAbsolutePath(), tlsPassword, tlsType);
        }
        EngineOptions.Builder engine = EngineOptions.builder().eventSource(new AgentSourceProvider());
        if (threads != null) {
            if (threads < 1) {
                err.println("sluice server: --threads " + threads + ": must be at least 1");
                err.flush();
                return 2;
            }
            engine.flowThreads(threads);
        }
        SqlServer server;
        try {
            server = SqlServer.start(options, engine);
        } catch (IOException | RuntimeException e) {
            err.println("sluice server: cannot start: " + e.getMessage());
            err.flush();
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            stopped.countDown();
        }, "sluice-server-shutdown"));
        err.println("sluice server: listening on " + (tlsKeystore == null ? "http" : "https") + "://"
                + server.address().getAddress().getHostAddress() + ":" + server.address().getPort() + "; token in "
                + options.dataDir().resolve("token"));
        err.flush();
        stopped.await();
        return 0;
    }
}
