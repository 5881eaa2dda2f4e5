package io.sluice.kafka;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.text.DidYouMean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.config.SaslConfigs;
import org.apache.kafka.common.config.SslConfigs;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.SslAuthenticationException;

/**
 * Builds the properties of a Kafka consumer or producer the way Apache Flume 1.11 does: the
 * component's defaults first, then every {@code kafka.consumer.*} / {@code kafka.producer.*} key with
 * the prefix removed (TLS and SASL settings included), then {@code bootstrap.servers} and what the
 * component must own (the group id, auto commit off). Two more Flume behaviours: with
 * {@code security.protocol} {@code SSL} or {@code SASL_SSL}, {@code ssl.disableTLSHostnameVerification
 * = true} turns host name verification off, and key and trust stores missing from the keys come from
 * the agent-wide settings ({@code javax.net.ssl.keyStore} ... system properties, else the
 * {@code FLUME_SSL_KEYSTORE_PATH} ... environment variables). A pass-through name Kafka does not know
 * is warned about, with the nearest known name. Stateless and thread-safe.
 */
public final class KafkaClientProperties {
    public static final String CONSUMER_PREFIX = "kafka.consumer.";
    public static final String PRODUCER_PREFIX = "kafka.producer.";
    /** Apache Flume's switch for TLS host name verification, read from the pass-through keys. */
    public static final String DISABLE_HOSTNAME_VERIFICATION = "ssl.disableTLSHostnameVerification";

    private static final String[][] GLOBAL_TLS = {
        {SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG, "javax.net.ssl.keyStore", "FLUME_SSL_KEYSTORE_PATH"},
        {SslConfigs.SSL_KEYSTORE_PASSWORD_CONFIG, "javax.net.ssl.keyStorePassword", "FLUME_SSL_KEYSTORE_PASSWORD"},
        {SslConfigs.SSL_KEYSTORE_TYPE_CONFIG, "javax.net.ssl.keyStoreType", "FLUME_SSL_KEYSTORE_TYPE"},
        {SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, "javax.net.ssl.trustStore", "FLUME_SSL_TRUSTSTORE_PATH"},
        {SslConfigs.SSL_TRUSTSTORE_PASSWORD_CONFIG, "javax.net.ssl.trustStorePassword",
            "FLUME_SSL_TRUSTSTORE_PASSWORD"},
        {SslConfigs.SSL_TRUSTSTORE_TYPE_CONFIG, "javax.net.ssl.trustStoreType", "FLUME_SSL_TRUSTSTORE_TYPE"},
    };

    private static final Pattern JAAS_USER = Pattern.compile("username\\s*=\\s*\"([^\"]*)\"");

    private KafkaClientProperties() {
    }

    /**
     * What went wrong with a Kafka client, for a log line or an exception: when the broker refused the
     * client's credentials (SASL) or the TLS handshake failed, a sentence naming the brokers, the
     * security protocol, the mechanism and user (never the password) and the {@code prefix} keys to
     * check; otherwise {@code failure.toString()}.
     *
     * @param prefix {@link #CONSUMER_PREFIX} or {@link #PRODUCER_PREFIX}, the keys the user wrote
     * @param properties the client's properties, as {@link #consumer} or {@link #producer} built them
     */
    public static String explain(Throwable failure, String prefix, Map<String, Object> properties) {
        String where = properties.get(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG) + " (security.protocol "
                + properties.getOrDefault(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG, "PLAINTEXT") + ")";
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SaslAuthenticationException) {
                Object mechanism = properties.getOrDefault(SaslConfigs.SASL_MECHANISM, SaslConfigs.DEFAULT_SASL_MECHANISM);
                return "Kafka at " + where + " refused the SASL " + mechanism + " login" + user(properties) + ": "
                        + t.getMessage() + "; check the user name and password in " + prefix
                        + SaslConfigs.SASL_JAAS_CONFIG + " and the mechanism in " + prefix + SaslConfigs.SASL_MECHANISM;
            }
            if (t instanceof SslAuthenticationException) {
                return "the TLS handshake with Kafka at " + where + " failed: " + rootMessage(t) + "; check that "
                        + prefix + SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG + " (now "
                        + properties.getOrDefault(SslConfigs.SSL_TRUSTSTORE_LOCATION_CONFIG, "the JVM's trust store")
                        + ") holds the broker's certificate or its CA, and, when the broker asks for client"
                        + " certificates, " + prefix + SslConfigs.SSL_KEYSTORE_LOCATION_CONFIG;
            }
            if (t instanceof AuthenticationException) {
                return "Kafka at " + where + " refused to authenticate the client" + user(properties) + ": "
                        + t.getMessage() + "; check the " + prefix + "ssl.* and " + prefix + "sasl.* keys";
            }
        }
        return String.valueOf(failure);
    }

    private static String user(Map<String, Object> properties) {
        Object jaas = properties.get(SaslConfigs.SASL_JAAS_CONFIG);
        if (jaas == null) {
            return "";
        }
        Matcher m = JAAS_USER.matcher(jaas.toString());
        return m.find() ? " as user '" + m.group(1) + "'" : "";
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root == t ? String.valueOf(t.getMessage()) : t.getMessage() + " (" + root.getMessage() + ")";
    }

    /**
     * The brokers to connect to: {@code key}, else Apache Flume's deprecated {@code oldKey} (with a
     * warning; {@code null} when the component has none). When neither is set it reports a problem
     * and returns {@code null}.
     */
    public static String bootstrapServers(ComponentContext ctx, ConfigKey<String> key, ConfigKey<String> oldKey) {
        String bootstrap = ctx.get(key);
        String old = oldKey == null ? null : ctx.get(oldKey);
        if ((bootstrap == null || bootstrap.isBlank()) && old != null && !old.isBlank()) {
            ctx.warn(oldKey.name(), "deprecated; use " + key.name());
            bootstrap = old;
        }
        if (bootstrap == null || bootstrap.isBlank()) {
            ctx.problem(key.name(), bootstrap, "is required",
                    "set " + key.name() + " to the Kafka brokers, e.g. 127.0.0.1:9092");
            return null;
        }
        return bootstrap;
    }

    /**
     * Consumer properties: {@code defaults}, then {@code kafka.consumer.*}, then {@code bootstrap.servers},
     * {@code group.id} and {@code enable.auto.commit = false}.
     */
    public static Map<String, Object> consumer(ComponentContext context, Map<String, Object> defaults,
            String bootstrapServers, String groupId) {
        Map<String, Object> p = new LinkedHashMap<>(defaults);
        passThrough(context, CONSUMER_PREFIX, ConsumerConfig.configNames(), p);
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        return finish(p);
    }

    /** Producer properties: {@code defaults}, then {@code kafka.producer.*}, then {@code bootstrap.servers}. */
    public static Map<String, Object> producer(ComponentContext context, Map<String, Object> defaults,
            String bootstrapServers) {
        Map<String, Object> p = new LinkedHashMap<>(defaults);
        passThrough(context, PRODUCER_PREFIX, ProducerConfig.configNames(), p);
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        return finish(p);
    }

    private static void passThrough(ComponentContext context, String prefix, Set<String> known, Map<String, Object> p) {
        List<String> names = new ArrayList<>(known);
        names.add(DISABLE_HOSTNAME_VERIFICATION);
        for (Map.Entry<String, String> e : context.subProperties(prefix).entrySet()) {
            String name = e.getKey();
            if (!known.contains(name) && !name.equals(DISABLE_HOSTNAME_VERIFICATION)) {
                context.warn(prefix + name, "'" + name + "' is not a Kafka client setting; Kafka ignores it"
                        + DidYouMean.suggest(name, names));
            }
            p.put(name, e.getValue().trim());
        }
    }

    private static Map<String, Object> finish(Map<String, Object> p) {
        return withGlobalTls(p, System::getProperty, System::getenv);
    }

    /**
     * The connection settings (servers, TLS, SASL) of a producer's or consumer's {@code properties}
     * that an admin client also knows, for an admin client talking to the same cluster as that user.
     */
    public static Map<String, Object> admin(Map<String, Object> properties) {
        Set<String> known = AdminClientConfig.configNames();
        Map<String, Object> admin = new HashMap<>();
        properties.forEach((k, v) -> {
            if (known.contains(k) && !k.equals(AdminClientConfig.CLIENT_ID_CONFIG)) {
                admin.put(k, v);
            }
        });
        return admin;
    }

    /** Applies Apache Flume's TLS rules to {@code p} (see the class comment); visible for tests. */
    static Map<String, Object> withGlobalTls(Map<String, Object> p, Function<String, String> systemProperty,
            Function<String, String> environment) {
        Object disable = p.remove(DISABLE_HOSTNAME_VERIFICATION);
        if (!isTls(p)) {
            return p;
        }
        if (disable != null && "true".equalsIgnoreCase(disable.toString().trim())) {
            p.put(SslConfigs.SSL_ENDPOINT_IDENTIFICATION_ALGORITHM_CONFIG, "");
        }
        for (String[] g : GLOBAL_TLS) {
            if (!p.containsKey(g[0])) {
                String v = systemProperty.apply(g[1]);
                if (v == null) {
                    v = environment.apply(g[2]);
                }
                if (v != null) {
                    p.put(g[0], v);
                }
            }
        }
        return p;
    }

    private static boolean isTls(Map<String, Object> p) {
        Object protocol = p.get(CommonClientConfigs.SECURITY_PROTOCOL_CONFIG);
        if (protocol == null) {
            return false;
        }
        String s = protocol.toString().trim().toUpperCase(Locale.ROOT);
        return s.equals("SSL") || s.equals("SASL_SSL");
    }
}
