package io.sluice.thrift;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Sink;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.config.GlobalSsl;
import io.sluice.api.metrics.SinkCounter;
import io.sluice.avro.AvroSinkFactory;
import io.sluice.avro.AvroSourceFactory;
import io.sluice.core.source.support.ServerTlsKeys;
import io.sluice.sdk.RpcClientConfig;
import io.sluice.sdk.thrift.ThriftProtocol;
import io.sluice.sdk.tls.TlsContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code thrift} sink ({@code org.apache.flume.sink.ThriftSink}), with Apache Flume 1.11's keys
 * and defaults: {@code hostname}, {@code port} (both required), {@code batch-size} (100),
 * {@code connect-timeout} (20000 ms), {@code request-timeout} (20000 ms),
 * {@code reset-connection-interval} (0 s: never), {@code protocol} (compact; or binary),
 * {@code ssl} (false), {@code truststore}, {@code truststore-password}, {@code truststore-type}
 * (JKS), {@code exclude-protocols} (SSLv3), {@code include-protocols}, {@code exclude-cipher-suites},
 * {@code include-cipher-suites} (unset TLS keys fall back to Apache Flume's global
 * {@code javax.net.ssl.*} / {@code FLUME_SSL_*} settings), {@code kerberos} (false; true is refused),
 * {@code client-principal}, {@code client-keytab}, {@code server-principal} (accepted, unused).
 */
public final class ThriftSinkFactory implements ComponentFactory<Sink> {
    public static final ConfigKey<String> HOSTNAME = ConfigKey.stringKey("hostname", null,
            "Host name or IP address of the next agent's thrift source.").required();
    public static final ConfigKey<Integer> PORT = ConfigKey.intKey("port", null,
            "Port of the next agent's thrift source.").required().between(1, 65535);
    /** Keys with the same name, default and meaning as the avro sink's. */
    public static final ConfigKey<Integer> BATCH_SIZE = AvroSinkFactory.BATCH_SIZE;
    public static final ConfigKey<Long> CONNECT_TIMEOUT = AvroSinkFactory.CONNECT_TIMEOUT;
    public static final ConfigKey<Long> REQUEST_TIMEOUT = AvroSinkFactory.REQUEST_TIMEOUT;
    public static final ConfigKey<Long> RESET_INTERVAL = AvroSinkFactory.RESET_INTERVAL;
    public static final ConfigKey<String> PROTOCOL = ConfigKey.choiceKey("protocol", "compact",
            "compact or binary: the Thrift protocol to send with; an Apache Flume thrift source accepts only the"
                    + " one its own protocol key names.", "compact", "binary");
    public static final ConfigKey<Boolean> SSL = AvroSinkFactory.SSL;
    public static final ConfigKey<String> TRUSTSTORE = AvroSinkFactory.TRUSTSTORE;
    public static final ConfigKey<String> TRUSTSTORE_PASSWORD = AvroSinkFactory.TRUSTSTORE_PASSWORD;
    public static final ConfigKey<String> TRUSTSTORE_TYPE = AvroSinkFactory.TRUSTSTORE_TYPE;
    public static final ConfigKey<List<String>> EXCLUDE_PROTOCOLS = ServerTlsKeys.EXCLUDE_PROTOCOLS;
    public static final ConfigKey<List<String>> INCLUDE_PROTOCOLS = ServerTlsKeys.INCLUDE_PROTOCOLS;
    public static final ConfigKey<List<String>> EXCLUDE_CIPHERS = ServerTlsKeys.EXCLUDE_CIPHERS;
    public static final ConfigKey<List<String>> INCLUDE_CIPHERS = ServerTlsKeys.INCLUDE_CIPHERS;
    public static final ConfigKey<Boolean> KERBEROS = ThriftSourceFactory.KERBEROS;
    public static final ConfigKey<String> CLIENT_PRINCIPAL = ConfigKey.stringKey("client-principal", null,
            "Kerberos principal of this agent; accepted for compatibility and unused.");
    public static final ConfigKey<String> CLIENT_KEYTAB = ConfigKey.stringKey("client-keytab", null,
            "Keytab of client-principal; accepted for compatibility and unused.");
    public static final ConfigKey<String> SERVER_PRINCIPAL = ConfigKey.stringKey("server-principal", null,
            "Kerberos principal of the receiving agent; accepted for compatibility and unused.");
    public static final ConfigKey<Boolean> TRUST_ALL = ConfigKey.boolKey("trust-all-certs", false,
            "Ignored, as Apache Flume's thrift sink ignores it: the server certificate is always checked against"
                    + " the trust store.");

    public static final ConfigKey<Long> MAX_REQUEST_BYTES = AvroSinkFactory.MAX_REQUEST_BYTES;

    static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SINK, "thrift")
            .otherNames("org.apache.flume.sink.ThriftSink")
            .keys(HOSTNAME, PORT, BATCH_SIZE, CONNECT_TIMEOUT, REQUEST_TIMEOUT, RESET_INTERVAL, PROTOCOL, SSL,
                    TRUSTSTORE, TRUSTSTORE_PASSWORD, TRUSTSTORE_TYPE, EXCLUDE_PROTOCOLS, INCLUDE_PROTOCOLS,
                    EXCLUDE_CIPHERS, INCLUDE_CIPHERS, KERBEROS, CLIENT_PRINCIPAL, CLIENT_KEYTAB, SERVER_PRINCIPAL,
                    TRUST_ALL, MAX_REQUEST_BYTES)
            .description("Sends events to an Apache Flume or Sluice thrift source.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Sink create(ComponentContext context) {
        RpcClientConfig client = read(context);
        if (client == null) {
            return null;
        }
        SinkCounter counter = context.counters().register(new SinkCounter(context.name()));
        return new ThriftSink(context.name(), context.label(), client, context.get(RESET_INTERVAL) * 1000L,
                context.get(MAX_REQUEST_BYTES), counter);
    }

    /** Reads and checks the keys; reports every problem and returns {@code null} if there was one. */
    static RpcClientConfig read(ComponentContext context) {
        String host = context.get(HOSTNAME);
        Integer port = context.get(PORT);
        int batch = context.get(BATCH_SIZE);
        long connect = context.get(CONNECT_TIMEOUT);
        long request = context.get(REQUEST_TIMEOUT);
        context.get(RESET_INTERVAL);
        String protocol = context.get(PROTOCOL);
        boolean ssl = context.get(SSL);
        String ts = ServerTlsKeys.orGlobal(context, TRUSTSTORE, GlobalSsl.TRUSTSTORE);
        String tsPassword = ServerTlsKeys.orGlobal(context, TRUSTSTORE_PASSWORD, GlobalSsl.TRUSTSTORE_PASSWORD);
        String tsType = ServerTlsKeys.orGlobal(context, TRUSTSTORE_TYPE, GlobalSsl.TRUSTSTORE_TYPE)
                .toUpperCase(Locale.ROOT);
        TlsContexts.Filters filters = AvroSourceFactory.filters(context);
        context.get(CLIENT_PRINCIPAL);
        context.get(CLIENT_KEYTAB);
        context.get(SERVER_PRINCIPAL);
        boolean ok = true;
        ok &= ThriftSourceFactory.kerberosOff(context, "sink", "a truststore");
        if (Boolean.TRUE.equals(context.get(TRUST_ALL))) {
            context.warn(TRUST_ALL.name(), "is ignored by the thrift sink, as by Apache Flume's: the server's"
                    + " certificate is still checked against the trust store; remove trust-all-certs");
        }
        Path truststore = null;
        if (ssl && ts != null && !ts.isBlank()) {
            if (!Files.isReadable(Path.of(ts.trim()))) {
                context.problem(TRUSTSTORE.name(), ts, "is not a readable file",
                        "point truststore at an existing trust store, or remove it to trust the JVM's certificates");
                ok = false;
            } else {
                truststore = Path.of(ts.trim());
            }
        }
        if (!ok || host == null || port == null || protocol == null) {
            return null;
        }
        return RpcClientConfig.builder().clientType(RpcClientConfig.THRIFT).host(host.trim(), port).batchSize(batch)
                .connectTimeoutMillis(connect).requestTimeoutMillis(request).thriftProtocol(ThriftProtocol.parse(protocol))
                .maxConnections(1).ssl(ssl).truststore(truststore).truststorePassword(tsPassword)
                .truststoreType(tsType).tlsFilters(filters).build();
    }
}
