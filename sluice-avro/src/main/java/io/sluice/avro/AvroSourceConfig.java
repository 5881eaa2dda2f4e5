package io.sluice.avro;

import io.netty.handler.ipfilter.IpFilterRule;
import io.sluice.sdk.tls.TlsContexts;
import java.nio.file.Path;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The settings of one {@code avro} source, already checked. Immutable.
 *
 * @param bind            address to listen on
 * @param port            port to listen on; 0 picks a free port (see {@link AvroSource#port()})
 * @param ioThreads       Netty event-loop threads serving connections
 * @param deflate         whether connections are zlib/deflate-compressed as a whole
 * @param keystore        key store for TLS, or {@code null} when {@code ssl} is off
 * @param ipFilterRules   rules deciding which clients may connect; empty: everyone
 * @param maxFrameBytes   largest request accepted; a larger declared frame closes the connection
 * @param readTimeoutMillis a connection that has not finished its handshake, or stalls inside a
 *                        frame, for this long is closed
 */
public record AvroSourceConfig(String bind, int port, int ioThreads, boolean deflate, Path keystore,
        String keystorePassword, String keystoreType, TlsContexts.Filters tlsFilters, List<IpFilterRule> ipFilterRules,
        long maxFrameBytes, long readTimeoutMillis) {

    public static final long DEFAULT_MAX_FRAME_BYTES = 128L << 20;
    public static final long DEFAULT_READ_TIMEOUT_MILLIS = 30_000;

    public AvroSourceConfig {
        requireNonNull(bind, "bind is null");
        requireNonNull(keystoreType, "keystoreType is null");
        requireNonNull(tlsFilters, "tlsFilters is null");
        ipFilterRules = List.copyOf(ipFilterRules);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port: " + port + " (expected: 0-65535)");
        }
        if (ioThreads < 1) {
            throw new IllegalArgumentException("ioThreads: " + ioThreads + " (expected: > 0)");
        }
        if (maxFrameBytes < 1024) {
            throw new IllegalArgumentException("maxFrameBytes: " + maxFrameBytes + " (expected: >= 1024)");
        }
        if (readTimeoutMillis < 1) {
            throw new IllegalArgumentException("readTimeoutMillis: " + readTimeoutMillis + " (expected: > 0)");
        }
    }

    /** Plain TCP on {@code bind:port} with the defaults. */
    public static AvroSourceConfig plain(String bind, int port) {
        return new AvroSourceConfig(bind, port, defaultThreads(), false, null, null, "JKS", TlsContexts.Filters.DEFAULT,
                List.of(), DEFAULT_MAX_FRAME_BYTES, DEFAULT_READ_TIMEOUT_MILLIS);
    }

    public static int defaultThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    public boolean ssl() {
        return keystore != null;
    }

    public AvroSourceConfig withDeflate(boolean v) {
        return new AvroSourceConfig(bind, port, ioThreads, v, keystore, keystorePassword, keystoreType, tlsFilters,
                ipFilterRules, maxFrameBytes, readTimeoutMillis);
    }

    public AvroSourceConfig withSsl(Path store, String password, String type) {
        return new AvroSourceConfig(bind, port, ioThreads, deflate, store, password, type, tlsFilters,
                ipFilterRules, maxFrameBytes, readTimeoutMillis);
    }

    public AvroSourceConfig withLimits(long maxFrame, long readTimeout) {
        return new AvroSourceConfig(bind, port, ioThreads, deflate, keystore, keystorePassword, keystoreType,
                tlsFilters, ipFilterRules, maxFrame, readTimeout);
    }

    public AvroSourceConfig withIpFilterRules(List<IpFilterRule> rules) {
        return new AvroSourceConfig(bind, port, ioThreads, deflate, keystore, keystorePassword, keystoreType,
                tlsFilters, rules, maxFrameBytes, readTimeoutMillis);
    }
}
