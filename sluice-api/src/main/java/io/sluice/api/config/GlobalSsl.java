package io.sluice.api.config;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The agent-wide TLS settings Apache Flume 1.11 reads, by the same names: the JVM's
 * {@code javax.net.ssl.keyStore}, {@code keyStorePassword}, {@code keyStoreType},
 * {@code trustStore}, {@code trustStorePassword}, {@code trustStoreType} and Flume's
 * {@code flume.ssl.include.protocols}, {@code flume.ssl.exclude.protocols},
 * {@code flume.ssl.include.cipherSuites}, {@code flume.ssl.exclude.cipherSuites} system properties,
 * each of which may instead come from an environment variable ({@code FLUME_SSL_KEYSTORE_PATH},
 * {@code FLUME_SSL_KEYSTORE_PASSWORD}, {@code FLUME_SSL_KEYSTORE_TYPE}, {@code FLUME_SSL_TRUSTSTORE_PATH},
 * {@code FLUME_SSL_TRUSTSTORE_PASSWORD}, {@code FLUME_SSL_TRUSTSTORE_TYPE},
 * {@code FLUME_SSL_INCLUDE_PROTOCOLS}, {@code FLUME_SSL_EXCLUDE_PROTOCOLS},
 * {@code FLUME_SSL_INCLUDE_CIPHERSUITES}, {@code FLUME_SSL_EXCLUDE_CIPHERSUITES}); a set system property
 * wins. A component with {@code ssl} uses them for each of its own keys ({@code keystore},
 * {@code truststore}, {@code exclude-protocols}, ...) that its configuration does not set. The protocol
 * and cipher lists are comma- or space-separated.
 *
 * <p>Stateless and thread-safe; {@link #initFromEnvironment()} writes system properties once at start.
 */
public final class GlobalSsl {
    public static final String KEYSTORE = "javax.net.ssl.keyStore";
    public static final String KEYSTORE_PASSWORD = "javax.net.ssl.keyStorePassword";
    public static final String KEYSTORE_TYPE = "javax.net.ssl.keyStoreType";
    public static final String TRUSTSTORE = "javax.net.ssl.trustStore";
    public static final String TRUSTSTORE_PASSWORD = "javax.net.ssl.trustStorePassword";
    public static final String TRUSTSTORE_TYPE = "javax.net.ssl.trustStoreType";
    public static final String INCLUDE_PROTOCOLS = "flume.ssl.include.protocols";
    public static final String EXCLUDE_PROTOCOLS = "flume.ssl.exclude.protocols";
    public static final String INCLUDE_CIPHER_SUITES = "flume.ssl.include.cipherSuites";
    public static final String EXCLUDE_CIPHER_SUITES = "flume.ssl.exclude.cipherSuites";

    /** Each system property and the environment variable that may stand in for it. */
    static final Map<String, String> ENVIRONMENT = Map.of(
            KEYSTORE, "FLUME_SSL_KEYSTORE_PATH",
            KEYSTORE_PASSWORD, "FLUME_SSL_KEYSTORE_PASSWORD",
            KEYSTORE_TYPE, "FLUME_SSL_KEYSTORE_TYPE",
            TRUSTSTORE, "FLUME_SSL_TRUSTSTORE_PATH",
            TRUSTSTORE_PASSWORD, "FLUME_SSL_TRUSTSTORE_PASSWORD",
            TRUSTSTORE_TYPE, "FLUME_SSL_TRUSTSTORE_TYPE",
            INCLUDE_PROTOCOLS, "FLUME_SSL_INCLUDE_PROTOCOLS",
            EXCLUDE_PROTOCOLS, "FLUME_SSL_EXCLUDE_PROTOCOLS",
            INCLUDE_CIPHER_SUITES, "FLUME_SSL_INCLUDE_CIPHERSUITES",
            EXCLUDE_CIPHER_SUITES, "FLUME_SSL_EXCLUDE_CIPHERSUITES");

    private GlobalSsl() {
    }

    /**
     * Sets each unset system property above from its environment variable, as Apache Flume's agent
     * does when it starts, so the JVM's own TLS defaults (a {@code javax.net.ssl.trustStore} given as
     * {@code FLUME_SSL_TRUSTSTORE_PATH}) follow too.
     */
    public static void initFromEnvironment() {
        init(System.getenv(), System.getProperties());
    }

    static void init(Map<String, String> env, Properties properties) {
        for (Map.Entry<String, String> e : ENVIRONMENT.entrySet()) {
            String value = env.get(e.getValue());
            if (properties.getProperty(e.getKey()) == null && value != null) {
                properties.setProperty(e.getKey(), value);
            }
        }
    }

    /** The system property {@code name}, else its environment variable; null when neither is set. */
    public static String get(String name) {
        return get(name, System.getenv(), System.getProperties());
    }

    static String get(String name, Map<String, String> env, Properties properties) {
        String v = properties.getProperty(name);
        if (v != null) {
            return v;
        }
        String var = ENVIRONMENT.get(name);
        return var == null ? null : env.get(var);
    }

    /** The list in {@code name} (comma- or space-separated), or null when it is not set. */
    public static List<String> list(String name) {
        return split(get(name));
    }

    static List<String> split(String v) {
        if (v == null) {
            return null;
        }
        List<String> out = new ArrayList<>();
        for (String s : Arrays.asList(v.trim().split("[,\\s]+"))) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }

    /** What to show where a key's default comes from, e.g. for {@code keystore}. */
    public static String describe(String name) {
        return "the " + name + " system property or the " + ENVIRONMENT.get(name) + " environment variable";
    }
}
