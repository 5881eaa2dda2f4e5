package io.sluice.sql.server;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

import static java.util.Objects.requireNonNull;

/**
 * How a {@link SqlServer} runs. Immutable.
 *
 * @param bind             the address to listen on (default 127.0.0.1)
 * @param port             the port (default 9292, FlumeBase's; 0 picks a free one)
 * @param dataDir          the token and the metastore live here
 * @param tlsKeystore      a key store holding the server's key and certificate, or null for plain HTTP
 * @param tlsPassword      its password (may be empty)
 * @param tlsKeystoreType  its type (default PKCS12)
 * @param maxConnections   connections at once; more are refused (default 256)
 * @param idleTimeoutMillis a connection with no request for this long is closed (default 60 s)
 * @param readTimeoutMillis a request must arrive whole within this from its first byte (default 10 s)
 * @param maxRequestBytes  the largest request body (default 4 MiB: a tee batch of 1 MiB of events
 *                         grows by a third as base64)
 */
public record ServerOptions(InetAddress bind, int port, Path dataDir, Path tlsKeystore, String tlsPassword,
        String tlsKeystoreType, int maxConnections, long idleTimeoutMillis, long readTimeoutMillis,
        int maxRequestBytes) {
    public static final int DEFAULT_PORT = 9292;

    public ServerOptions {
        requireNonNull(bind, "bind is null");
        requireNonNull(dataDir, "dataDir is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0 to 65535)");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: > 0)");
        }
        if (maxRequestBytes < 1024) {
            throw new IllegalArgumentException("maxRequestBytes: " + maxRequestBytes + " (expected: >= 1024)");
        }
        tlsPassword = tlsPassword == null ? "" : tlsPassword;
        tlsKeystoreType = tlsKeystoreType == null ? "PKCS12" : tlsKeystoreType;
    }

    /** The defaults, listening on 127.0.0.1:{@code port} with data in {@code dataDir}. */
    public static ServerOptions defaults(int port, Path dataDir) {
        try {
            return new ServerOptions(InetAddress.getByName("127.0.0.1"), port, dataDir, null, "", "PKCS12", 256, 60_000,
                    10_000, 4 * 1024 * 1024);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public ServerOptions withTls(Path keystore, String password, String type) {
        return new ServerOptions(bind, port, dataDir, keystore, password, type, maxConnections, idleTimeoutMillis,
                readTimeoutMillis, maxRequestBytes);
    }

    public ServerOptions withBind(InetAddress address) {
        return new ServerOptions(address, port, dataDir, tlsKeystore, tlsPassword, tlsKeystoreType, maxConnections,
                idleTimeoutMillis, readTimeoutMillis, maxRequestBytes);
    }

    public ServerOptions withLimits(int connections, long idleMillis, long readMillis, int requestBytes) {
        return new ServerOptions(bind, port, dataDir, tlsKeystore, tlsPassword, tlsKeystoreType, connections, idleMillis,
                readMillis, requestBytes);
    }
}
