package io.sluice.thrift;

import io.netty.handler.ssl.SslContext;
import io.sluice.avro.AvroConnectionLimits;
import io.sluice.avro.AvroSourceConfig;
import io.sluice.sdk.thrift.ThriftProtocol;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * The settings of one {@code thrift} source, already checked. Immutable.
 *
 * @param bind              address to listen on
 * @param port              port to listen on; 0 picks a free port (see {@link ThriftSource#port()})
 * @param workerThreads     threads that put requests into the channels (each connection stays on one)
 * @param protocol          the protocol the configuration names; the source understands both
 * @param tls               the server TLS context when {@code ssl} is on
 * @param maxFrameBytes     largest request accepted; a larger call is answered with an exception and skipped
 * @param readTimeoutMillis a connection that stalls inside a request this long is closed
 * @param idleTimeoutMillis a connection silent between requests this long is closed; 0: never
 * @param maxConnections    open connections admitted; more are closed when accepted
 * @param maxPendingBytes   bytes of partly received requests held across all connections
 */
public record ThriftSourceConfig(String bind, int port, int workerThreads, ThriftProtocol protocol,
        Optional<SslContext> tls, long maxFrameBytes, long readTimeoutMillis, long idleTimeoutMillis,
        int maxConnections, long maxPendingBytes) {

    /** The limits' defaults are the avro source's. */
    public static final long DEFAULT_MAX_FRAME_BYTES = AvroSourceConfig.DEFAULT_MAX_FRAME_BYTES;
    public static final long DEFAULT_READ_TIMEOUT_MILLIS = AvroSourceConfig.DEFAULT_READ_TIMEOUT_MILLIS;
    public static final int DEFAULT_MAX_CONNECTIONS = AvroConnectionLimits.DEFAULT_MAX_CONNECTIONS;
    public static final long DEFAULT_MAX_PENDING_BYTES = AvroConnectionLimits.DEFAULT_MAX_PENDING_BYTES;

    public ThriftSourceConfig {
        requireNonNull(bind, "bind is null");
        requireNonNull(protocol, "protocol is null");
        requireNonNull(tls, "tls is null");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
        if (workerThreads < 1) {
            throw new IllegalArgumentException("workerThreads: " + workerThreads + " (expected: > 0)");
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: >= 1024)");
        }
        if (readTimeoutMillis < 1) {
            throw new IllegalArgumentException("readTimeoutMillis: " + readTimeoutMillis + " (expected: > 0)");
        }
        if (idleTimeoutMillis < 0) {
            throw new IllegalArgumentException("idleTimeoutMillis: " + idleTimeoutMillis + " (expected: >= 0)");
        }
        if (maxConnections < 1) {
            throw new IllegalArgumentException("maxConnections: " + maxConnections + " (expected: > 0)");
        }
        if (maxPendingBytes < 1) {
            throw new IllegalArgumentException("maxPendingBytes: " + maxPendingBytes + " (expected: > 0)");
        }
    }

    /** Plain TCP on {@code bind:port} with the defaults. */
    public static ThriftSourceConfig plain(String bind, int port) {
        return new ThriftSourceConfig(bind, port, defaultWorkerThreads(), ThriftProtocol.COMPACT, Optional.empty(),
                DEFAULT_MAX_FRAME_BYTES, DEFAULT_READ_TIMEOUT_MILLIS, 0, DEFAULT_MAX_CONNECTIONS,
                DEFAULT_MAX_PENDING_BYTES);
    }

    /**
     * Worker threads when {@code threads} is 0 (Apache Flume's default, meaning no limit): enough
     * that a put waiting for an fsync or a full channel does not hold up other connections.
     */
    public static int defaultWorkerThreads() {
        return Math.max(16, 4 * Runtime.getRuntime().availableProcessors());
    }

    public ThriftSourceConfig withLimits(long maxFrame, long readTimeout, long idleTimeout) {
        return new ThriftSourceConfig(bind, port, workerThreads, protocol, tls, maxFrame, readTimeout, idleTimeout,
                maxConnections, maxPendingBytes);
    }

    public ThriftSourceConfig withConnectionLimits(int connections, long pendingBytes) {
        return new ThriftSourceConfig(bind, port, workerThreads, protocol, tls, maxFrameBytes, readTimeoutMillis,
                idleTimeoutMillis, connections, pendingBytes);
    }

    public ThriftSourceConfig withTls(SslContext context) {
        return new ThriftSourceConfig(bind, port, workerThreads, protocol, Optional.of(context),
                maxFrameBytes, readTimeoutMillis, idleTimeoutMillis, maxConnections, maxPendingBytes);
    }
}
