package io.sluice.thrift;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.avro.AvroSourceFactory;
import io.sluice.core.source.support.ServerTlsKeys;
import io.sluice.sdk.thrift.ThriftProtocol;
import java.util.List;

/**
 * The {@code thrift} source ({@code org.apache.flume.source.ThriftSource}). Apache Flume 1.11's
 * keys and defaults, plus limits of Sluice's own:
 * <ul>
 * <li>{@code bind}, {@code port} (both required; port 0 picks a free port)</li>
 * <li>{@code threads} (0: no fixed limit, as in Apache Flume; Sluice then uses 16 or 4 per core) -
 * threads putting requests into the channels</li>
 * <li>{@code protocol} ({@code compact}) - {@code compact} or {@code binary}; the source recognises
 * each message's protocol, so it serves clients of either</li>
 * <li>{@code ssl} (false), {@code keystore}, {@code keystore-password} (both required with ssl, or
 * from Apache Flume's global {@code javax.net.ssl.*} / {@code FLUME_SSL_*} settings),
 * {@code keystore-type} (JKS), {@code exclude-protocols} (SSLv3), {@code include-protocols},
 * {@code exclude-cipher-suites}, {@code include-cipher-suites}</li>
 * <li>{@code kerberos} (false) - {@code true} is refused: Sluice does not implement Thrift's SASL
 * (GSSAPI) transport; {@code agent-principal}, {@code agent-keytab} are accepted and unused</li>
 * <li>{@code max-frame-bytes} (134217728: a larger call is answered with an application exception
 * naming both sizes and skipped unread, {@code RequestTooLargeCount}), {@code read-timeout} (30000 ms: a connection stalled
 * inside a request is closed), {@code idle-timeout} (0: never; a connection silent between requests
 * this long is closed), {@code maxConnections} (1000), {@code maxPendingBytes} (268435456)</li>
 * </ul>
 */
public final class ThriftSourceFactory implements ComponentFactory<Source> {
    /** Keys with the same name, default and meaning as the avro source's. */
    public static final ConfigKey<String> BIND = AvroSourceFactory.BIND;
    public static final ConfigKey<Integer> PORT = AvroSourceFactory.PORT;
    public static final ConfigKey<Integer> THREADS = ConfigKey.intKey("threads", 0,
            "Threads putting received requests into the channels; 0 means no fixed limit (16, or 4 per core"
                    + " when more). Each connection is served by one of them, in order.").atLeast(0);
    public static final ConfigKey<String> PROTOCOL = ConfigKey.choiceKey("protocol", "compact",
            "compact or binary: the Thrift protocol of the senders. The source recognises the protocol of every"
                    + " message, so clients of both are served.", "compact", "binary");
    public static final ConfigKey<Boolean> SSL = ServerTlsKeys.SSL;
    public static final ConfigKey<String> KEYSTORE = ServerTlsKeys.KEYSTORE;
    public static final ConfigKey<String> KEYSTORE_PASSWORD = ServerTlsKeys.KEYSTORE_PASSWORD;
    public static final ConfigKey<String> KEYSTORE_TYPE = ServerTlsKeys.KEYSTORE_TYPE;
    public static final ConfigKey<List<String>> EXCLUDE_PROTOCOLS = ServerTlsKeys.EXCLUDE_PROTOCOLS;
    public static final ConfigKey<List<String>> INCLUDE_PROTOCOLS = ServerTlsKeys.INCLUDE_PROTOCOLS;
    public static final ConfigKey<List<String>> EXCLUDE_CIPHERS = ServerTlsKeys.EXCLUDE_CIPHERS;
    public static final ConfigKey<List<String>> INCLUDE_CIPHERS = ServerTlsKeys.INCLUDE_CIPHERS;
    public static final ConfigKey<Boolean> KERBEROS = ConfigKey.boolKey("kerberos", false,
            "Kerberos (SASL/GSSAPI) authentication; true is refused: Sluice does not implement it (use ssl).");
    public static final ConfigKey<String> AGENT_PRINCIPAL = ConfigKey.stringKey("agent-principal", null,
            "Kerberos principal of the agent; accepted for compatibility and unused.");
    public static final ConfigKey<String> AGENT_KEYTAB = ConfigKey.stringKey("agent-keytab", null,
            "Keytab of agent-principal; accepted for compatibility and unused.");
    public static final ConfigKey<Long> MAX_FRAME_BYTES = AvroSourceFactory.MAX_FRAME_BYTES;
    public static final ConfigKey<Long> READ_TIMEOUT = ConfigKey.longKey("read-timeout",
            ThriftSourceConfig.DEFAULT_READ_TIMEOUT_MILLIS,
            "Milliseconds a call may take to arrive whole from its first byte, however slowly it trickles; a"
                    + " connection still inside a call then is closed (Sluice only). Apache Flume's clients give up"
                    + " on a call after their request-timeout (20000 ms) anyway.").atLeast(1);
    public static final ConfigKey<Long> IDLE_TIMEOUT = ConfigKey.longKey("idle-timeout", 0L,
            "Milliseconds a connection may stay silent between requests before it is closed; 0: never, as Apache"
                    + " Flume's clients keep idle connections in their pools (Sluice only).").atLeast(0);
    public static final ConfigKey<Integer> MAX_CONNECTIONS = AvroSourceFactory.MAX_CONNECTIONS;
    public static final ConfigKey<Long> MAX_PENDING_BYTES = AvroSourceFactory.MAX_PENDING_BYTES;

    static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "thrift")
            .otherNames("org.apache.flume.source.ThriftSource")
            .keys(BIND, PORT, THREADS, PROTOCOL, SSL, KEYSTORE, KEYSTORE_PASSWORD, KEYSTORE_TYPE, EXCLUDE_PROTOCOLS,
                    INCLUDE_PROTOCOLS, EXCLUDE_CIPHERS, INCLUDE_CIPHERS, KERBEROS, AGENT_PRINCIPAL, AGENT_KEYTAB,
                    MAX_FRAME_BYTES, READ_TIMEOUT, IDLE_TIMEOUT, MAX_CONNECTIONS, MAX_PENDING_BYTES)
            .description("Receives events from Apache Flume or Sluice thrift sinks and Thrift RPC clients.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        ThriftSourceConfig config = read(context);
        if (config == null) {
            return null;
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        return new ThriftSource(context.name(), context.label(), config, counter);
    }

    /**
     * Reports {@code kerberos = true} as a problem (Sluice does not implement Thrift's SASL/GSSAPI
     * transport) with what to do instead; true when Kerberos is off.
     */
    static boolean kerberosOff(ComponentContext context, String side, String tlsStore) {
        if (!Boolean.TRUE.equals(context.get(KERBEROS))) {
            return true;
        }
        context.problem(KERBEROS.name(), "true", "is not supported: Sluice's thrift " + side + " does not implement"
                + " Thrift's Kerberos (SASL/GSSAPI) transport", "set kerberos = false and protect the hop with ssl"
                        + " = true (and " + tlsStore + "), or keep this hop on Apache Flume until both ends can move");
        return false;
    }

    /** Reads and checks the keys; reports every problem and returns {@code null} if there was one. */
    static ThriftSourceConfig read(ComponentContext context) {
        boolean ok = true;
        String bind = context.get(BIND);
        Integer port = context.get(PORT);
        int threads = context.get(THREADS);
        String protocol = context.get(PROTOCOL);
        ok &= kerberosOff(context, "source", "a keystore");
        ServerTlsKeys.Result tls = ServerTlsKeys.read(context);
        ok &= tls.ok();
        long maxFrame = context.get(MAX_FRAME_BYTES);
        long readTimeout = context.get(READ_TIMEOUT);
        long idleTimeout = context.get(IDLE_TIMEOUT);
        int maxConnections = context.get(MAX_CONNECTIONS);
        long maxPending = context.get(MAX_PENDING_BYTES);
        context.get(AGENT_PRINCIPAL);
        context.get(AGENT_KEYTAB);
        if (!ok || bind == null || port == null || protocol == null) {
            return null;
        }
        return new ThriftSourceConfig(bind.trim(), port,
                threads == 0 ? ThriftSourceConfig.defaultWorkerThreads() : threads, ThriftProtocol.parse(protocol),
                tls.context(), maxFrame, readTimeout, idleTimeout, maxConnections, maxPending);
    }
}
