package io.sluice.avro;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Sink;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.config.GlobalSsl;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.tls.TlsContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code avro} sink ({@code org.apache.flume.sink.AvroSink}), with Apache Flume's keys and
 * defaults: {@code hostname}, {@code port} (both required), {@code batch-size} (100),
 * {@code connect-timeout} (20000 ms), {@code request-timeout} (20000 ms),
 * {@code reset-connection-interval} (0 s: never), {@code compression-type} (none),
 * {@code compression-level} (6), {@code ssl} (false), {@code trust-all-certs} (false),
 * {@code truststore}, {@code truststore-password}, {@code truststore-type} (JKS),
 * {@code exclude-protocols} (SSLv3), {@code include-protocols}, {@code exclude-cipher-suites},
 * {@code include-cipher-suites} (as Apache Flume's RPC client), {@code maxIoWorkers} (accepted; the sink uses one
 * I/O thread); Sluice adds {@code max-event-bytes} and {@code max-request-bytes} (both 134217728,
 * the avro source's default {@code max-frame-bytes}; see {@link RpcSink} and {@link AvroSink}).
 */
public final class AvroSinkFactory implements ComponentFactory<Sink> {
    public static final ConfigKey<String> HOSTNAME = ConfigKey.stringKey("hostname", null,
            "Host name or IP address of the next agent's avro source.").required();
    public static final ConfigKey<Integer> PORT = ConfigKey.intKey("port", null,
            "Port of the next agent's avro source.").required().between(1, 65535);
    public static final ConfigKey<Integer> BATCH_SIZE = ConfigKey.intKey("batch-size", 100,
            "Events taken from the channel and sent per request; at most the channel's `transactionCapacity`"
                    + " (a larger value is refused when the configuration is checked).").atLeast(1);
    public static final ConfigKey<Long> CONNECT_TIMEOUT = ConfigKey.longKey("connect-timeout", 20_000L,
            "Milliseconds allowed to connect and handshake.").atLeast(1);
    public static final ConfigKey<Long> REQUEST_TIMEOUT = ConfigKey.longKey("request-timeout", 20_000L,
            "Milliseconds allowed for the next agent to answer a batch.").atLeast(1);
    public static final ConfigKey<Long> RESET_INTERVAL = ConfigKey.longKey("reset-connection-interval", 0L,
            "Seconds after which the connection is closed and opened again (0: never), e.g. to follow a "
                    + "load balancer.").atLeast(0);
    public static final ConfigKey<String> COMPRESSION = ConfigKey.choiceKey("compression-type", "none",
            "none or deflate; must match the compression-type of the receiving source.", "none", "deflate");
    public static final ConfigKey<Integer> COMPRESSION_LEVEL = ConfigKey.intKey("compression-level", 6,
            "Deflate level, 0 (none) to 9 (best).").between(0, 9);
    public static final ConfigKey<Boolean> SSL = ConfigKey.boolKey("ssl", false, "Connect with TLS.");
    public static final ConfigKey<Boolean> TRUST_ALL = ConfigKey.boolKey("trust-all-certs", false,
            "Accept any server certificate (no verification; for tests only).");
    public static final ConfigKey<String> TRUSTSTORE = ConfigKey.stringKey("truststore", null,
            "Path of the trust store with the certificates to trust. Default: the javax.net.ssl.trustStore system"
                    + " property or FLUME_SSL_TRUSTSTORE_PATH, else the JVM's own trust store.");
    public static final ConfigKey<String> TRUSTSTORE_PASSWORD = ConfigKey.stringKey("truststore-password", null,
            "Password of the trust store. Default: javax.net.ssl.trustStorePassword or FLUME_SSL_TRUSTSTORE_PASSWORD.");
    public static final ConfigKey<String> TRUSTSTORE_TYPE = ConfigKey.choiceKey("truststore-type", "JKS",
            "JKS or PKCS12. Default: javax.net.ssl.trustStoreType or FLUME_SSL_TRUSTSTORE_TYPE, else JKS.", "JKS",
            "PKCS12");
    public static final ConfigKey<List<String>> EXCLUDE_PROTOCOLS = AvroSourceFactory.EXCLUDE_PROTOCOLS;
    public static final ConfigKey<Long> MAX_EVENT_BYTES = ConfigKey.longKey("max-event-bytes",
            AvroSourceConfig.DEFAULT_MAX_FRAME_BYTES,
            "Sluice only: the largest event sent, in bytes on the wire; a larger one is rejected (set aside in"
                    + " deadLetter.channel when set, else its batch fails). Set it to the next agent's max-frame-bytes.")
            .atLeast(1);
    public static final ConfigKey<Long> MAX_REQUEST_BYTES = ConfigKey.longKey("max-request-bytes",
            AvroSourceConfig.DEFAULT_MAX_FRAME_BYTES,
            "Sluice only: the largest request sent, in bytes on the wire. A batch whose events add up to more is"
                    + " sent as several requests within its one transaction (committed only when every request was"
                    + " accepted); an event that alone does not fit is rejected (set aside in deadLetter.channel when"
                    + " set, else its batch fails). At most the next agent's max-frame-bytes.")
            .atLeast(RpcSink.MIN_REQUEST_BYTES);
    public static final ConfigKey<Integer> MAX_IO_WORKERS = ConfigKey.intKey("maxIoWorkers", 0,
            "Accepted for compatibility; the sink uses one I/O thread.").atLeast(0);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SINK, "avro")
            .otherNames("org.apache.flume.sink.AvroSink")
            .keys(HOSTNAME, PORT, BATCH_SIZE, CONNECT_TIMEOUT, REQUEST_TIMEOUT, RESET_INTERVAL, COMPRESSION,
                    COMPRESSION_LEVEL, SSL, TRUST_ALL, TRUSTSTORE, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE,
                    EXCLUDE_PROTOCOLS, AvroSourceFactory.INCLUDE_PROTOCOLS, AvroSourceFactory.EXCLUDE_CIPHERS,
                    AvroSourceFactory.INCLUDE_CIPHERS, MAX_IO_WORKERS, MAX_EVENT_BYTES, MAX_REQUEST_BYTES)
            .description("Sends events to an Apache Flume or Sluice avro source.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Sink create(ComponentContext context) {
        String host = context.get(HOSTNAME);
        Integer port = context.get(PORT);
        int batch = context.get(BATCH_SIZE);
        long connect = context.get(CONNECT_TIMEOUT);
        long request = context.get(REQUEST_TIMEOUT);
        long reset = context.get(RESET_INTERVAL);
        boolean deflate = "deflate".equals(context.get(COMPRESSION));
        int level = context.get(COMPRESSION_LEVEL);
        boolean ssl = context.get(SSL);
        boolean trustAll = context.get(TRUST_ALL);
        String ts = AvroSourceFactory.orGlobal(context, TRUSTSTORE, GlobalSsl.TRUSTSTORE);
        String tsPassword = AvroSourceFactory.orGlobal(context, TRUSTSTORE_PASSWORD, GlobalSsl.TRUSTSTORE_PASSWORD);
        String tsType = AvroSourceFactory.orGlobal(context, TRUSTSTORE_TYPE, GlobalSsl.TRUSTSTORE_TYPE)
                .toUpperCase(Locale.ROOT);
        TlsContexts.Filters filters = AvroSourceFactory.filters(context);
        context.get(MAX_IO_WORKERS);
        long maxEventBytes = context.get(MAX_EVENT_BYTES);
        long maxRequestBytes = context.get(MAX_REQUEST_BYTES);
        boolean ok = true;
        Path truststore = null;
        if (ssl && !trustAll && ts != null && !ts.isBlank()) {
            if (!Files.isReadable(Path.of(ts.trim()))) {
                context.problem(TRUSTSTORE.name(), ts, "is not a readable file",
                        "point truststore at an existing trust store, or set trust-all-certs = true for tests");
                ok = false;
            } else {
                truststore = Path.of(ts.trim());
            }
        }
        if (!ok || host == null || port == null) {
            return null;
        }
        RpcClientConfig client = RpcClientConfig.builder().host(host.trim(), port).batchSize(batch)
                .connectTimeoutMillis(connect).requestTimeoutMillis(request).deflate(deflate).compressionLevel(level)
                .ssl(ssl).trustAllCerts(trustAll).truststore(truststore).truststorePassword(tsPassword)
                .truststoreType(tsType).tlsFilters(filters)
                .build();
        SinkCounter counter = context.counters().register(new SinkCounter(context.name()));
        return new AvroSink(context.name(), context.label(), client, reset * 1000L, maxEventBytes, maxRequestBytes,
                counter);
    }
}
