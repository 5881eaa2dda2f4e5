package io.sluice.sdk;

import io.sluice.api.config.GlobalSsl;
import io.sluice.sdk.thrift.ThriftProtocol;
import io.sluice.sdk.tls.TlsContexts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Properties;

import static java.util.Objects.requireNonNull;

/**
 * Everything a client needs, read from properties with Apache Flume's {@code RpcClientFactory}
 * names, or built with {@link #builder()}. Immutable.
 *
 * <table>
 * <caption>Properties</caption>
 * <tr><th>key</th><th>default</th><th>meaning</th></tr>
 * <tr><td>client.type</td><td>default</td><td>default, default_failover, default_loadbalance or thrift</td></tr>
 * <tr><td>hosts</td><td>(required)</td><td>space-separated host names, each with hosts.NAME = host:port</td></tr>
 * <tr><td>batch-size</td><td>100</td><td>events per request</td></tr>
 * <tr><td>connect-timeout</td><td>20000</td><td>ms to connect and handshake</td></tr>
 * <tr><td>request-timeout</td><td>20000</td><td>ms to wait for an answer</td></tr>
 * <tr><td>max-attempts</td><td>number of hosts</td><td>failover: hosts tried per call</td></tr>
 * <tr><td>host-selector</td><td>round_robin</td><td>load balance: round_robin or random</td></tr>
 * <tr><td>backoff</td><td>false</td><td>load balance: skip a failed host for a while</td></tr>
 * <tr><td>maxBackoff</td><td>30000</td><td>load balance: longest skip in ms</td></tr>
 * <tr><td>compression-type</td><td>none</td><td>none or deflate (must match the source)</td></tr>
 * <tr><td>compression-level</td><td>6</td><td>deflate level 0-9</td></tr>
 * <tr><td>ssl, trust-all-certs</td><td>false</td><td>TLS, and whether to skip certificate checks</td></tr>
 * <tr><td>truststore, truststore-password, truststore-type</td><td>-, -, JKS</td><td>trusted certificates</td></tr>
 * <tr><td>exclude-protocols</td><td>SSLv3</td><td>space-separated TLS protocols not to use</td></tr>
 * <tr><td>protocol</td><td>compact</td><td>thrift: compact or binary (must match a source that insists on one)</td></tr>
 * <tr><td>maxConnections</td><td>5</td><td>thrift: connections kept open to the agent for concurrent callers</td></tr>
 * </table>
 */
public final class RpcClientConfig {
    public static final String DEFAULT = "default";
    public static final String FAILOVER = "default_failover";
    public static final String LOAD_BALANCE = "default_loadbalance";
    public static final String THRIFT = "thrift";

    private final String clientType;
    private final List<HostInfo> hosts;
    private final int batchSize;
    private final long connectTimeoutMillis;
    private final long requestTimeoutMillis;
    private final int maxAttempts;
    private final String hostSelector;
    private final boolean backoff;
    private final long maxBackoffMillis;
    private final boolean deflate;
    private final int compressionLevel;
    private final boolean ssl;
    private final boolean trustAllCerts;
    private final Path truststore;
    private final String truststorePassword;
    private final String truststoreType;
    private final TlsContexts.Filters tlsFilters;
    private final ThriftProtocol thriftProtocol;
    private final int maxConnections;

    private RpcClientConfig(Builder b) {
        this.clientType = b.clientType;
        this.hosts = List.copyOf(b.hosts);
        this.batchSize = b.batchSize;
        this.connectTimeoutMillis = b.connectTimeoutMillis;
        this.requestTimeoutMillis = b.requestTimeoutMillis;
        this.maxAttempts = b.maxAttempts > 0 ? b.maxAttempts : Math.max(1, hosts.size());
        this.hostSelector = b.hostSelector;
        this.backoff = b.backoff;
        this.maxBackoffMillis = b.maxBackoffMillis;
        this.deflate = b.deflate;
        this.compressionLevel = b.compressionLevel;
        this.ssl = b.ssl;
        this.trustAllCerts = b.trustAllCerts;
        this.truststore = b.truststore;
        this.truststorePassword = b.truststorePassword;
        this.truststoreType = b.truststoreType;
        this.tlsFilters = b.tlsFilters;
        this.thriftProtocol = b.thriftProtocol;
        this.maxConnections = b.maxConnections;
        if (hosts.isEmpty()) {
            throw new IllegalArgumentException("hosts (missing): at least one host is required "
                    + "(fix: set hosts = h1 and hosts.h1 = host:port)");
        }
        check(batchSize >= 1, "batch-size", batchSize, "must be at least 1");
        check(connectTimeoutMillis >= 1, "connect-timeout", connectTimeoutMillis, "must be at least 1 ms");
        check(requestTimeoutMillis >= 1, "request-timeout", requestTimeoutMillis, "must be at least 1 ms");
        check(compressionLevel >= 0 && compressionLevel <= 9, "compression-level", compressionLevel,
                "must be between 0 and 9");
        check(maxConnections >= 1, "maxConnections", maxConnections, "must be at least 1");
    }

    private static void check(boolean ok, String key, Object value, String rule) {
        if (!ok) {
            throw new IllegalArgumentException(key + " = " + value + ": " + rule);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Reads Apache Flume's client properties; throws {@link IllegalArgumentException} naming a bad key. */
    public static RpcClientConfig fromProperties(Properties p) {
        requireNonNull(p, "properties is null");
        Builder b = builder();
        b.clientType(p.getProperty("client.type", DEFAULT).trim().toLowerCase(Locale.ROOT));
        String hostNames = p.getProperty("hosts");
        if (hostNames == null || hostNames.isBlank()) {
            throw new IllegalArgumentException("hosts (missing): list the agents to send to "
                    + "(fix: hosts = h1 and hosts.h1 = host:port)");
        }
        for (String name : hostNames.trim().split("\\s+")) {
            String v = p.getProperty("hosts." + name);
            if (v == null) {
                throw new IllegalArgumentException("hosts." + name + " (missing): host '" + name
                        + "' is listed in hosts but has no address (fix: hosts." + name + " = host:port)");
            }
            b.addHost(HostInfo.parse(name, v));
        }
        b.batchSize(intValue(p, "batch-size", 100));
        b.connectTimeoutMillis(longValue(p, "connect-timeout", 20_000));
        b.requestTimeoutMillis(longValue(p, "request-timeout", 20_000));
        b.maxAttempts(intValue(p, "max-attempts", 0));
        String selector = p.getProperty("host-selector", "round_robin").trim().toLowerCase(Locale.ROOT);
        if (!selector.equals("round_robin") && !selector.equals("random")) {
            throw new IllegalArgumentException("host-selector = " + selector
                    + ": must be round_robin or random");
        }
        b.hostSelector(selector);
        b.backoff(boolValue(p, "backoff", false));
        long maxBackoff = longValue(p, "maxBackoff", 0);
        b.maxBackoffMillis(maxBackoff <= 0 ? 30_000 : maxBackoff);
        String compression = p.getProperty("compression-type", "none").trim().toLowerCase(Locale.ROOT);
        if (!compression.equals("none") && !compression.equals("deflate")) {
            throw new IllegalArgumentException("compression-type = " + compression + ": must be none or deflate");
        }
        b.deflate(compression.equals("deflate"));
        b.compressionLevel(intValue(p, "compression-level", 6));
        b.ssl(boolValue(p, "ssl", false));
        b.trustAllCerts(boolValue(p, "trust-all-certs", false));
        // Unset TLS keys fall back to Apache Flume's global settings (javax.net.ssl.*, flume.ssl.*, FLUME_SSL_*).
        String ts = p.getProperty("truststore", GlobalSsl.get(GlobalSsl.TRUSTSTORE));
        b.truststore(ts == null || ts.isBlank() ? null : Path.of(ts.trim()));
        b.truststorePassword(p.getProperty("truststore-password", GlobalSsl.get(GlobalSsl.TRUSTSTORE_PASSWORD)));
        b.truststoreType(p.getProperty("truststore-type", orDefault(GlobalSsl.get(GlobalSsl.TRUSTSTORE_TYPE), "JKS"))
                .trim());
        b.tlsFilters(new TlsContexts.Filters(listOrGlobal(p, "include-protocols", GlobalSsl.INCLUDE_PROTOCOLS, ""),
                listOrGlobal(p, "exclude-protocols", GlobalSsl.EXCLUDE_PROTOCOLS, "SSLv3"),
                listOrGlobal(p, "include-cipher-suites", GlobalSsl.INCLUDE_CIPHER_SUITES, ""),
                listOrGlobal(p, "exclude-cipher-suites", GlobalSsl.EXCLUDE_CIPHER_SUITES, "")));
        String protocol = p.getProperty("protocol");
        if (protocol != null && !protocol.isBlank()) {
            b.thriftProtocol(ThriftProtocol.parse(protocol));
        }
        b.maxConnections(intValue(p, "maxConnections", 5));
        return b.build();
    }

    private static String orDefault(String v, String def) {
        return v == null ? def : v;
    }

    private static List<String> listOrGlobal(Properties p, String key, String global, String def) {
        if (p.getProperty(key) != null) {
            return listOr(p, key, def);
        }
        List<String> g = GlobalSsl.list(global);
        return g != null ? g : listOr(p, key, def);
    }

    private static List<String> listOr(Properties p, String key, String def) {
        String v = p.getProperty(key, def).trim();
        return v.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(v.split("\\s+")));
    }

    private static int intValue(Properties p, String key, int def) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = " + v + ": must be an integer (default " + def + ")");
        }
    }

    private static long longValue(Properties p, String key, long def) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " = " + v + ": must be an integer (default " + def + ")");
        }
    }

    private static boolean boolValue(Properties p, String key, boolean def) {
        String v = p.getProperty(key);
        if (v == null || v.isBlank()) {
            return def;
        }
        String t = v.trim().toLowerCase(Locale.ROOT);
        if (!t.equals("true") && !t.equals("false")) {
            throw new IllegalArgumentException(key + " = " + v + ": must be true or false");
        }
        return t.equals("true");
    }

    /** The same settings for a single host (used by failover and load-balancing clients). */
    public RpcClientConfig forHost(HostInfo host) {
        return toBuilder().clientType(DEFAULT).hosts(List.of(host)).build();
    }

    public Builder toBuilder() {
        return builder().clientType(clientType).hosts(hosts).batchSize(batchSize)
                .connectTimeoutMillis(connectTimeoutMillis).requestTimeoutMillis(requestTimeoutMillis)
                .maxAttempts(maxAttempts).hostSelector(hostSelector).backoff(backoff).maxBackoffMillis(maxBackoffMillis)
                .deflate(deflate).compressionLevel(compressionLevel).ssl(ssl).trustAllCerts(trustAllCerts)
                .truststore(truststore).truststorePassword(truststorePassword).truststoreType(truststoreType)
                .tlsFilters(tlsFilters).thriftProtocol(thriftProtocol).maxConnections(maxConnections);
    }

    public String clientType() {
        return clientType;
    }

    public List<HostInfo> hosts() {
        return hosts;
    }

    public int batchSize() {
        return batchSize;
    }

    public long connectTimeoutMillis() {
        return connectTimeoutMillis;
    }

    public long requestTimeoutMillis() {
        return requestTimeoutMillis;
    }

    public int maxAttempts() {
        return maxAttempts;
    }

    public String hostSelector() {
        return hostSelector;
    }

    public boolean backoff() {
        return backoff;
    }

    public long maxBackoffMillis() {
        return maxBackoffMillis;
    }

    public boolean deflate() {
        return deflate;
    }

    public int compressionLevel() {
        return compressionLevel;
    }

    public boolean ssl() {
        return ssl;
    }

    public boolean trustAllCerts() {
        return trustAllCerts;
    }

    public Path truststore() {
        return truststore;
    }

    public String truststorePassword() {
        return truststorePassword;
    }

    public String truststoreType() {
        return truststoreType;
    }

    public TlsContexts.Filters tlsFilters() {
        return tlsFilters;
    }

    /** The Thrift protocol of a {@code thrift} client ({@code protocol}, default compact). */
    public ThriftProtocol thriftProtocol() {
        return thriftProtocol;
    }

    /** Connections a {@code thrift} client keeps to its agent ({@code maxConnections}, default 5). */
    public int maxConnections() {
        return maxConnections;
    }

    /** Builds an {@link RpcClientConfig}. Not thread-safe. */
    public static final class Builder {
        private String clientType = DEFAULT;
        private List<HostInfo> hosts = new ArrayList<>();
        private int batchSize = 100;
        private long connectTimeoutMillis = 20_000;
        private long requestTimeoutMillis = 20_000;
        private int maxAttempts;
        private String hostSelector = "round_robin";
        private boolean backoff;
        private long maxBackoffMillis = 30_000;
        private boolean deflate;
        private int compressionLevel = 6;
        private boolean ssl;
        private boolean trustAllCerts;
        private Path truststore;
        private String truststorePassword;
        private String truststoreType = "JKS";
        private TlsContexts.Filters tlsFilters = TlsContexts.Filters.DEFAULT;
        private ThriftProtocol thriftProtocol = ThriftProtocol.COMPACT;
        private int maxConnections = 5;

        private Builder() {
        }

        public Builder clientType(String v) {
            if (!v.equals(DEFAULT) && !v.equals(FAILOVER) && !v.equals(LOAD_BALANCE) && !v.equals(THRIFT)) {
                throw new IllegalArgumentException("client.type = " + v + ": must be " + DEFAULT + ", " + FAILOVER
                        + ", " + LOAD_BALANCE + " or " + THRIFT);
            }
            this.clientType = v;
            return this;
        }

        public Builder hosts(List<HostInfo> v) {
            this.hosts = new ArrayList<>(v);
            return this;
        }

        public Builder addHost(HostInfo v) {
            this.hosts.add(requireNonNull(v, "host is null"));
            return this;
        }

        /** Adds a host named {@code h<n>}. */
        public Builder host(String host, int port) {
            return addHost(new HostInfo("h" + (hosts.size() + 1), host, port));
        }

        public Builder batchSize(int v) {
            this.batchSize = v;
            return this;
        }

        public Builder connectTimeoutMillis(long v) {
            this.connectTimeoutMillis = v;
            return this;
        }

        public Builder requestTimeoutMillis(long v) {
            this.requestTimeoutMillis = v;
            return this;
        }

        public Builder maxAttempts(int v) {
            this.maxAttempts = v;
            return this;
        }

        public Builder hostSelector(String v) {
            this.hostSelector = v;
            return this;
        }

        public Builder backoff(boolean v) {
            this.backoff = v;
            return this;
        }

        public Builder maxBackoffMillis(long v) {
            this.maxBackoffMillis = v;
            return this;
        }

        public Builder deflate(boolean v) {
            this.deflate = v;
            return this;
        }

        public Builder compressionLevel(int v) {
            this.compressionLevel = v;
            return this;
        }

        public Builder ssl(boolean v) {
            this.ssl = v;
            return this;
        }

        public Builder trustAllCerts(boolean v) {
            this.trustAllCerts = v;
            return this;
        }

        public Builder truststore(Path v) {
            this.truststore = v;
            return this;
        }

        public Builder truststorePassword(String v) {
            this.truststorePassword = v;
            return this;
        }

        public Builder truststoreType(String v) {
            this.truststoreType = v;
            return this;
        }

        public Builder tlsFilters(TlsContexts.Filters v) {
            this.tlsFilters = requireNonNull(v, "tlsFilters is null");
            return this;
        }

        public Builder thriftProtocol(ThriftProtocol v) {
            this.thriftProtocol = requireNonNull(v, "thriftProtocol is null");
            return this;
        }

        public Builder maxConnections(int v) {
            this.maxConnections = v;
            return this;
        }

        public RpcClientConfig build() {
            return new RpcClientConfig(this);
        }
    }
}
