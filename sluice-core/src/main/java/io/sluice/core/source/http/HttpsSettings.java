package io.sluice.core.source.http;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.config.GlobalSsl;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

/**
 * The http source's TLS keys, with Apache Flume's names: {@code ssl} (false; the older
 * {@code enableSSL} is read too), {@code keystore}, {@code keystore-password} (or
 * {@code keystorePassword}), {@code keystore-type} (or {@code keystoreType}, default JKS),
 * {@code exclude-protocols} (SSLv3), {@code include-protocols}, {@code exclude-cipher-suites},
 * {@code include-cipher-suites} (space-separated). The keystore is loaded when the configuration
 * is validated, so a wrong path or password stops the start. Stateless and thread-safe.
 */
final class HttpsSettings {
    static final ConfigKey<Boolean> SSL = ConfigKey.boolKey("ssl", false, "Serve HTTPS.");
    static final ConfigKey<Boolean> ENABLE_SSL = ConfigKey.boolKey("enableSSL", false,
            "Older name of ssl.");
    static final ConfigKey<String> KEYSTORE = ConfigKey.stringKey("keystore", null,
            "Path of the keystore holding the server's key and certificate.");
    static final ConfigKey<String> KEYSTORE_PASSWORD = ConfigKey.stringKey("keystore-password", null,
            "Password of the keystore.");
    static final ConfigKey<String> KEYSTORE_PASSWORD_OLD = ConfigKey.stringKey("keystorePassword", null,
            "Older name of keystore-password.");
    static final ConfigKey<String> KEYSTORE_TYPE = ConfigKey.stringKey("keystore-type", null,
            "Keystore type, JKS or PKCS12.");
    static final ConfigKey<String> KEYSTORE_TYPE_OLD = ConfigKey.stringKey("keystoreType", "JKS",
            "Older name of keystore-type.");
    static final ConfigKey<List<String>> EXCLUDE_PROTOCOLS = ConfigKey.listKey("exclude-protocols",
            List.of("SSLv3"), "TLS protocols not to offer.");
    static final ConfigKey<List<String>> INCLUDE_PROTOCOLS = ConfigKey.listKey("include-protocols", List.of(),
            "TLS protocols to offer (empty: all the JVM enables by default).");
    static final ConfigKey<List<String>> EXCLUDE_CIPHERS = ConfigKey.listKey("exclude-cipher-suites", List.of(),
            "Cipher suites not to offer.");
    static final ConfigKey<List<String>> INCLUDE_CIPHERS = ConfigKey.listKey("include-cipher-suites", List.of(),
            "Cipher suites to offer (empty: the JVM's defaults).");

    static final List<ConfigKey<?>> KEYS = List.of(SSL, ENABLE_SSL, KEYSTORE, KEYSTORE_PASSWORD, KEYSTORE_PASSWORD_OLD,
            KEYSTORE_TYPE, KEYSTORE_TYPE_OLD, EXCLUDE_PROTOCOLS, INCLUDE_PROTOCOLS, EXCLUDE_CIPHERS, INCLUDE_CIPHERS);

    /** Whether the settings were valid, and the TLS context (null for plain HTTP). */
    static final class Result {
        private final boolean ok;
        private final SslContext ssl;

        Result(boolean ok, SslContext ssl) {
            this.ok = ok;
            this.ssl = ssl;
        }

        boolean ok() {
            return ok;
        }

        SslContext ssl() {
            return ssl;
        }
    }

    private HttpsSettings() {
    }

    static Result read(ComponentContext context) {
        boolean enabled = context.get(SSL) || context.get(ENABLE_SSL);
        if (!enabled) {
            for (ConfigKey<?> k : KEYS) {
                if (k != SSL && k != ENABLE_SSL && context.raw(k.name()).isPresent()) {
                    context.warn(k.name(), "is set but ssl is false, so the source serves plain HTTP and ignores"
                            + " it; set ssl = true to serve HTTPS, or remove " + k.name());
                }
            }
            return new Result(true, null);
        }
        // Unset keys fall back to Apache Flume's global settings (javax.net.ssl.*, FLUME_SSL_*), as Flume's do.
        String keystore = first(context.get(KEYSTORE), GlobalSsl.get(GlobalSsl.KEYSTORE));
        String password = first(first(context.get(KEYSTORE_PASSWORD), context.get(KEYSTORE_PASSWORD_OLD)),
                GlobalSsl.get(GlobalSsl.KEYSTORE_PASSWORD));
        String type = context.raw(KEYSTORE_TYPE.name()).isPresent() || context.raw(KEYSTORE_TYPE_OLD.name()).isPresent()
                ? first(context.get(KEYSTORE_TYPE), context.get(KEYSTORE_TYPE_OLD))
                : first(GlobalSsl.get(GlobalSsl.KEYSTORE_TYPE), context.get(KEYSTORE_TYPE_OLD));
        if (keystore == null || password == null) {
            if (keystore == null) {
                context.problem(KEYSTORE.name(), null, "is required when ssl is true",
                        "set keystore to the path of a JKS or PKCS12 keystore, or set ssl = false");
            }
            if (password == null) {
                context.problem(KEYSTORE_PASSWORD.name(), null, "is required when ssl is true",
                        "set keystore-password to the keystore's password");
            }
            return new Result(false, null);
        }
        try {
            KeyStore ks = KeyStore.getInstance(type.trim());
            try (InputStream in = Files.newInputStream(Path.of(keystore.trim()))) {
                ks.load(in, password.toCharArray());
            }
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password.toCharArray());
            SSLParameters defaults = SSLContext.getDefault().getDefaultSSLParameters();
            List<String> protocols = filter(defaults.getProtocols(),
                    listOrGlobal(context, INCLUDE_PROTOCOLS, GlobalSsl.INCLUDE_PROTOCOLS),
                    listOrGlobal(context, EXCLUDE_PROTOCOLS, GlobalSsl.EXCLUDE_PROTOCOLS));
            List<String> ciphers = filter(defaults.getCipherSuites(),
                    listOrGlobal(context, INCLUDE_CIPHERS, GlobalSsl.INCLUDE_CIPHER_SUITES),
                    listOrGlobal(context, EXCLUDE_CIPHERS, GlobalSsl.EXCLUDE_CIPHER_SUITES));
            if (protocols.isEmpty()) {
                context.problem(INCLUDE_PROTOCOLS.name(), String.join(" ", context.get(INCLUDE_PROTOCOLS)),
                        "leaves no TLS protocol enabled", "include a protocol such as TLSv1.3 and do not exclude it");
                return new Result(false, null);
            }
            SslContext ssl = SslContextBuilder.forServer(kmf).protocols(protocols).ciphers(ciphers).build();
            return new Result(true, ssl);
        } catch (Exception e) {
            context.problem(KEYSTORE.name(), keystore, "cannot be loaded as a " + type + " keystore with the given"
                    + " password (" + e + ")", "check the path, keystore-type and keystore-password");
            return new Result(false, null);
        }
    }

    private static List<String> listOrGlobal(ComponentContext context, ConfigKey<List<String>> key, String global) {
        if (context.raw(key.name()).isPresent()) {
            return context.get(key);
        }
        List<String> g = GlobalSsl.list(global);
        return g != null ? g : context.get(key);
    }

    private static String first(String a, String b) {
        return a != null ? a : b;
    }

    private static List<String> filter(String[] available, List<String> include, List<String> exclude) {
        Set<String> out = new TreeSet<>(include.isEmpty() ? Arrays.asList(available) : include);
        out.removeAll(exclude);
        return new ArrayList<>(out);
    }
}
