package io.sluice.avro;

import io.netty.handler.ipfilter.IpFilterRule;
import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Source;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.config.GlobalSsl;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.source.support.ServerTlsKeys;
import io.sluice.sdk.tls.TlsContexts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The {@code avro} source ({@code org.apache.flume.source.AvroSource}). Apache Flume's keys and
 * defaults, plus two Sluice limits:
 * <ul>
 * <li>{@code bind} (required), {@code port} (required; 0 picks a free port)</li>
 * <li>{@code threads} (0: one per core, at least 2) - event-loop threads serving connections</li>
 * <li>{@code compression-type} ({@code none}) - {@code none} or {@code deflate}; must match the senders</li>
 * <li>{@code ssl} (false), {@code keystore}, {@code keystore-password} (both required with ssl),
 * {@code keystore-type} (JKS), {@code exclude-protocols} (SSLv3), {@code include-protocols},
 * {@code exclude-cipher-suites}, {@code include-cipher-suites}</li>
 * <li>{@code ipFilter} (false), {@code ipFilterRules} (required with ipFilter), e.g.
 * {@code allow:ip:127.*,deny:ip:*}</li>
 * <li>{@code max-frame-bytes} (134217728) - a request declaring more is answered with an error and
 *     skipped; a first request's handshake, read from its first buffers, is answered before the error</li>
 * <li>{@code read-timeout} (30000 ms) - a connection silent this long before its handshake is closed,
 * and so is one whose request has not arrived whole this long after its first byte, however slowly
 * it trickles</li>
 * <li>{@code maxConnections} (1000) - connections beyond this are closed when accepted and counted
 * in {@code ConnectionRefusedCount}</li>
 * <li>{@code maxPendingBytes} (268435456) - bytes of partly received requests held across all
 * connections; a connection beyond it is closed and counted in {@code PendingBytesRefusedCount}</li>
 * </ul>
 */
public final class AvroSourceFactory implements ComponentFactory<Source> {
    public static final ConfigKey<String> BIND = ConfigKey.stringKey("bind", null,
            "Host name or IP address to listen on (0.0.0.0 for every interface).").required();
    public static final ConfigKey<Integer> PORT = ConfigKey.intKey("port", null,
            "TCP port to listen on (0 picks a free port).").required().between(0, 65535);
    public static final ConfigKey<Integer> THREADS = ConfigKey.intKey("threads", 0,
            "Event-loop threads serving connections; 0 means one per core (at least 2).").atLeast(0);
    public static final ConfigKey<String> COMPRESSION = ConfigKey.choiceKey("compression-type", "none",
            "none or deflate; must match the compression-type of the senders.", "none", "deflate");
    /** The TLS keys are those of every Sluice network source, with Apache Flume 1.11's names and defaults. */
    public static final ConfigKey<Boolean> SSL = ServerTlsKeys.SSL;
    public static final ConfigKey<String> KEYSTORE = ServerTlsKeys.KEYSTORE;
    public static final ConfigKey<String> KEYSTORE_PASSWORD = ServerTlsKeys.KEYSTORE_PASSWORD;
    public static final ConfigKey<String> KEYSTORE_TYPE = ServerTlsKeys.KEYSTORE_TYPE;
    public static final ConfigKey<List<String>> EXCLUDE_PROTOCOLS = ServerTlsKeys.EXCLUDE_PROTOCOLS;
    public static final ConfigKey<List<String>> INCLUDE_PROTOCOLS = ServerTlsKeys.INCLUDE_PROTOCOLS;
    public static final ConfigKey<List<String>> EXCLUDE_CIPHERS = ServerTlsKeys.EXCLUDE_CIPHERS;
    public static final ConfigKey<List<String>> INCLUDE_CIPHERS = ServerTlsKeys.INCLUDE_CIPHERS;
    public static final ConfigKey<Boolean> IP_FILTER = ConfigKey.boolKey("ipFilter", false,
            "Check each client against ipFilterRules.");
    public static final ConfigKey<String> IP_FILTER_RULES = ConfigKey.stringKey("ipFilterRules", null,
            "Comma-separated allow|deny:ip|name:pattern rules; the first match decides.");
    public static final ConfigKey<Long> MAX_FRAME_BYTES = ConfigKey.longKey("max-frame-bytes",
            AvroSourceConfig.DEFAULT_MAX_FRAME_BYTES,
            "Largest request accepted, in bytes. The avro source answers a larger one with an error naming both"
                    + " sizes and skips it (the handshake a client's first request carries is answered first);"
                    + " the thrift source answers a larger call with an application exception"
                    + " naming both sizes and skips it.").atLeast(1024);
    public static final ConfigKey<Long> READ_TIMEOUT = ConfigKey.longKey("read-timeout",
            AvroSourceConfig.DEFAULT_READ_TIMEOUT_MILLIS,
            "Milliseconds a connection may stay silent before its handshake, and a request may take to arrive whole"
                    + " from its first byte, however slowly it trickles (Sluice only)."
                    + " Apache Flume's clients give up on a request after their request-timeout (20000 ms)"
                    + " anyway.").atLeast(1);

    public static final ConfigKey<Integer> MAX_CONNECTIONS = ConfigKey.intKey("maxConnections",
            AvroConnectionLimits.DEFAULT_MAX_CONNECTIONS,
            "Most open connections; more are closed when accepted and counted (Sluice only).").atLeast(1);
    public static final ConfigKey<Long> MAX_PENDING_BYTES = ConfigKey.longKey("maxPendingBytes",
            AvroConnectionLimits.DEFAULT_MAX_PENDING_BYTES,
            "Most bytes of partly received requests held across all connections; a connection beyond it is"
                    + " closed (Sluice only).").atLeast(1);

    private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.SOURCE, "avro")
            .otherNames("org.apache.flume.source.AvroSource")
            .keys(BIND, PORT, THREADS, COMPRESSION, SSL, KEYSTORE, KEYSTORE_PASSWORD, KEYSTORE_TYPE,
                    EXCLUDE_PROTOCOLS, INCLUDE_PROTOCOLS, EXCLUDE_CIPHERS, INCLUDE_CIPHERS, IP_FILTER, IP_FILTER_RULES,
                    MAX_FRAME_BYTES, READ_TIMEOUT, MAX_CONNECTIONS, MAX_PENDING_BYTES)
            .description("Receives events from Apache Flume or Sluice avro sinks and RPC clients.")
            .build();

    @Override
    public ComponentDescriptor descriptor() {
        return DESCRIPTOR;
    }

    @Override
    public Source create(ComponentContext context) {
        AvroSourceConfig config = read(context);
        if (config == null) {
            return null;
        }
        SourceCounter counter = context.counters().register(new SourceCounter(context.name()));
        AvroConnectionLimits limits = new AvroConnectionLimits(context.get(MAX_CONNECTIONS),
                context.get(MAX_PENDING_BYTES));
        return new AvroSource(context.name(), context.label(), config, limits, counter);
    }

    /**
     * The protocol and cipher filters of a component with {@code ssl} (this source, the avro and thrift sinks): each
     * list the configuration does not set comes from Apache Flume's global {@code flume.ssl.*}
     * settings ({@link GlobalSsl}), else from the key's default.
     */
    public static TlsContexts.Filters filters(ComponentContext context) {
        return new TlsContexts.Filters(listOrGlobal(context, INCLUDE_PROTOCOLS, GlobalSsl.INCLUDE_PROTOCOLS),
                listOrGlobal(context, EXCLUDE_PROTOCOLS, GlobalSsl.EXCLUDE_PROTOCOLS),
                listOrGlobal(context, INCLUDE_CIPHERS, GlobalSsl.INCLUDE_CIPHER_SUITES),
                listOrGlobal(context, EXCLUDE_CIPHERS, GlobalSsl.EXCLUDE_CIPHER_SUITES));
    }

    /** The key's value when the configuration sets it, else the global setting, else the key's default. */
    static String orGlobal(ComponentContext context, ConfigKey<String> key, String global) {
        return ServerTlsKeys.orGlobal(context, key, global);
    }

    private static List<String> listOrGlobal(ComponentContext context, ConfigKey<List<String>> key, String global) {
        return ServerTlsKeys.listOrGlobal(context, key, global);
    }

    /** Reads and checks the keys; reports every problem and returns {@code null} if there was one. */
    static AvroSourceConfig read(ComponentContext context) {
        boolean ok = true;
        String bind = context.get(BIND);
        Integer port = context.get(PORT);
        int threads = context.get(THREADS);
        boolean deflate = "deflate".equals(context.get(COMPRESSION));
        Path keystore = null;
        String password = orGlobal(context, KEYSTORE_PASSWORD, GlobalSsl.KEYSTORE_PASSWORD);
        String type = orGlobal(context, KEYSTORE_TYPE, GlobalSsl.KEYSTORE_TYPE).toUpperCase(Locale.ROOT);
        if (context.get(SSL)) {
            String ks = orGlobal(context, KEYSTORE, GlobalSsl.KEYSTORE);
            if (ks == null || ks.isBlank()) {
                context.problem(KEYSTORE.name(), ks, "is required when ssl = true",
                        "set keystore to the path of a " + type + " key store holding the server key (or, for every"
                                + " component, -Djavax.net.ssl.keyStore or FLUME_SSL_KEYSTORE_PATH)");
                ok = false;
            } else if (!Files.isReadable(Path.of(ks.trim()))) {
                context.problem(KEYSTORE.name(), ks, "is not a readable file",
                        "point keystore at an existing key store file");
                ok = false;
            } else {
                keystore = Path.of(ks.trim());
            }
            if (password == null) {
                context.problem(KEYSTORE_PASSWORD.name(), null, "is required when ssl = true",
                        "set keystore-password to the key store's password (or, for every component,"
                                + " -Djavax.net.ssl.keyStorePassword or FLUME_SSL_KEYSTORE_PASSWORD)");
                ok = false;
            }
        }
        List<IpFilterRule> rules = List.of();
        if (!context.get(IP_FILTER)) {
            String unused = context.get(IP_FILTER_RULES);
            if (unused != null && !unused.isBlank()) {
                context.warn(IP_FILTER_RULES.name(), "is set but ipFilter is false, so the rules are not applied"
                        + " and every client may connect; set ipFilter = true to apply them");
            }
        } else {
            String text = context.get(IP_FILTER_RULES);
            if (text == null || text.isBlank()) {
                context.problem(IP_FILTER_RULES.name(), text, "is required when ipFilter = true",
                        "set ipFilterRules, e.g. allow:ip:127.*,deny:ip:*");
                ok = false;
            } else {
                try {
                    rules = IpFilterRules.parse(text);
                } catch (IllegalArgumentException e) {
                    context.problem(IP_FILTER_RULES.name(), text, e.getMessage(),
                            "write comma-separated rules of the form allow|deny:ip|name:pattern, e.g. allow:ip:127.*");
                    ok = false;
                }
            }
        }
        long maxFrame = context.get(MAX_FRAME_BYTES);
        long readTimeout = context.get(READ_TIMEOUT);
        if (!ok || bind == null || port == null) {
            return null;
        }
        TlsContexts.Filters filters = filters(context);
        return new AvroSourceConfig(bind.trim(), port, threads == 0 ? AvroSourceConfig.defaultThreads() : threads,
                deflate, keystore, password, type, filters, rules, maxFrame, readTimeout);
    }
}
