package io.sluice.core.source.support;

import io.netty.handler.ssl.SslContext;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import io.sluice.api.config.GlobalSsl;
import io.sluice.sdk.tls.TlsContexts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.UnrecoverableKeyException;
import java.util.List;
import java.util.Optional;

/**
 * The TLS keys of a listening source, with Apache Flume 1.11's names and defaults (those of its
 * {@code SslContextAwareAbstractSource}): {@code ssl} (false), {@code keystore} and
 * {@code keystore-password} (both required when {@code ssl} is true), {@code keystore-type}
 * (JKS; any type the JVM knows, such as PKCS12), {@code exclude-protocols} (SSLv3, which is
 * excluded whatever the list says), {@code include-protocols}, {@code exclude-cipher-suites},
 * {@code include-cipher-suites} (space-separated; an empty include list means every protocol or
 * suite the JVM supports that is not excluded). The server context is built by the same code as
 * the avro source's ({@link TlsContexts#forServer}).
 *
 * <p>The key store is opened when the configuration is read, so a wrong path, type or password is
 * a configuration problem naming its key and the agent does not start. Stateless and thread-safe.
 */
public final class ServerTlsKeys {
    public static final ConfigKey<Boolean> SSL = ConfigKey.boolKey("ssl", false,
            "Accept TLS connections only; needs keystore and keystore-password.");
    public static final ConfigKey<String> KEYSTORE = ConfigKey.stringKey("keystore", null,
            "Path of the key store holding the server's key and certificate (required with ssl). Default: the"
                    + " javax.net.ssl.keyStore system property or FLUME_SSL_KEYSTORE_PATH.");
    public static final ConfigKey<String> KEYSTORE_PASSWORD = ConfigKey.stringKey("keystore-password", null,
            "Password of the key store and of its key (required with ssl). Default: javax.net.ssl.keyStorePassword"
                    + " or FLUME_SSL_KEYSTORE_PASSWORD.");
    public static final ConfigKey<String> KEYSTORE_TYPE = ConfigKey.stringKey("keystore-type", "JKS",
            "Type of the key store: JKS, PKCS12 or another type the JVM supports. Default:"
                    + " javax.net.ssl.keyStoreType or FLUME_SSL_KEYSTORE_TYPE, else JKS.");
    public static final ConfigKey<List<String>> EXCLUDE_PROTOCOLS = ConfigKey.listKey("exclude-protocols",
            List.of("SSLv3"), "Space-separated TLS protocols not to use; SSLv3 is always excluded. Default:"
                    + " flume.ssl.exclude.protocols or FLUME_SSL_EXCLUDE_PROTOCOLS, else SSLv3.");
    public static final ConfigKey<List<String>> INCLUDE_PROTOCOLS = ConfigKey.listKey("include-protocols",
            List.of(), "Space-separated TLS protocols to use (empty: all that are not excluded). Default:"
                    + " flume.ssl.include.protocols or FLUME_SSL_INCLUDE_PROTOCOLS.");
    public static final ConfigKey<List<String>> EXCLUDE_CIPHERS = ConfigKey.listKey("exclude-cipher-suites",
            List.of(), "Space-separated cipher suites not to use. Default: flume.ssl.exclude.cipherSuites or"
                    + " FLUME_SSL_EXCLUDE_CIPHERSUITES.");
    public static final ConfigKey<List<String>> INCLUDE_CIPHERS = ConfigKey.listKey("include-cipher-suites",
            List.of(), "Space-separated cipher suites to use (empty: all that are not excluded). Default:"
                    + " flume.ssl.include.cipherSuites or FLUME_SSL_INCLUDE_CIPHERSUITES.");

    /** Every TLS key, in the order of Apache Flume's user guide, for a component's descriptor. */
    public static final List<ConfigKey<?>> KEYS = List.of(SSL, KEYSTORE, KEYSTORE_PASSWORD, KEYSTORE_TYPE,
            EXCLUDE_PROTOCOLS, INCLUDE_PROTOCOLS, EXCLUDE_CIPHERS, INCLUDE_CIPHERS);

    private ServerTlsKeys() {
    }

    /** What {@link #read} found: whether the keys were valid, and the context when {@code ssl} is on. */
    public record Result(boolean ok, Optional<SslContext> context) {
        static final Result PLAIN = new Result(true, Optional.empty());
        static final Result INVALID = new Result(false, Optional.empty());
    }

    /**
     * Reads the TLS keys and, when {@code ssl} is true, opens the key store and builds the server
     * context. Every problem is reported on {@code context} with its key; a TLS key set while
     * {@code ssl} is false is a warning.
     */
    public static Result read(ComponentContext context) {
        Boolean enabled = context.get(SSL);
        if (enabled == null) {
            return Result.INVALID;
        }
        if (!enabled) {
            for (ConfigKey<?> k : KEYS) {
                if (k != SSL && context.raw(k.name()).isPresent()) {
                    context.warn(k.name(), "is set but ssl is false, so the source accepts plain TCP and ignores it;"
                            + " set ssl = true to accept TLS, or remove " + k.name());
                }
            }
            return Result.PLAIN;
        }
        String keystore = orGlobal(context, KEYSTORE, GlobalSsl.KEYSTORE);
        String password = orGlobal(context, KEYSTORE_PASSWORD, GlobalSsl.KEYSTORE_PASSWORD);
        String type = orGlobal(context, KEYSTORE_TYPE, GlobalSsl.KEYSTORE_TYPE);
        boolean ok = true;
        if (keystore == null || keystore.isBlank()) {
            context.problem(KEYSTORE.name(), keystore, "is required when ssl = true",
                    "set keystore to the path of a " + type + " key store holding the server's key, or set ssl = false");
            ok = false;
        } else if (!Files.isReadable(Path.of(keystore.trim()))) {
            context.problem(KEYSTORE.name(), keystore, "is not a readable file",
                    "point keystore at an existing key store file this user may read");
            ok = false;
        }
        if (password == null) {
            context.problem(KEYSTORE_PASSWORD.name(), null, "is required when ssl = true",
                    "set keystore-password to the key store's password");
            ok = false;
        }
        List<String> includeProtocols = listOrGlobal(context, INCLUDE_PROTOCOLS, GlobalSsl.INCLUDE_PROTOCOLS);
        List<String> excludeProtocols = listOrGlobal(context, EXCLUDE_PROTOCOLS, GlobalSsl.EXCLUDE_PROTOCOLS);
        List<String> includeCiphers = listOrGlobal(context, INCLUDE_CIPHERS, GlobalSsl.INCLUDE_CIPHER_SUITES);
        List<String> excludeCiphers = listOrGlobal(context, EXCLUDE_CIPHERS, GlobalSsl.EXCLUDE_CIPHER_SUITES);
        if (!ok || type == null || includeProtocols == null || excludeProtocols == null || includeCiphers == null
                || excludeCiphers == null) {
            return Result.INVALID;
        }
        TlsContexts.Filters filters = new TlsContexts.Filters(includeProtocols, excludeProtocols, includeCiphers,
                excludeCiphers);
        try {
            return new Result(true, Optional.of(TlsContexts.forServer(Path.of(keystore.trim()), password,
                    type.trim(), filters)));
        } catch (IllegalArgumentException e) {
            if (wrongPassword(e)) {
                context.problem(KEYSTORE_PASSWORD.name(), "****", "does not open the key store " + keystore.trim()
                        + " (" + e.getCause().getMessage() + ")",
                        "set keystore-password to the password the key store and its key were written with");
            } else if (e.getCause() == null) {
                context.problem(INCLUDE_PROTOCOLS.name(), String.join(" ", includeProtocols), e.getMessage(),
                        "include protocols and cipher suites this JVM supports, and do not exclude all of them");
            } else {
                context.problem(KEYSTORE.name(), keystore, "cannot be used: " + e.getMessage(),
                        "check that keystore is a " + type + " key store (else set keystore-type) holding a key"
                                + " and its certificate");
            }
            return Result.INVALID;
        }
    }

    /**
     * The key's value when the configuration sets it, else Apache Flume's global setting (a system
     * property, else its environment variable: {@link GlobalSsl}), else the key's default.
     */
    public static String orGlobal(ComponentContext context, ConfigKey<String> key, String global) {
        if (context.raw(key.name()).isPresent()) {
            return context.get(key);
        }
        String g = GlobalSsl.get(global);
        return g != null ? g : context.get(key);
    }

    /** {@link #orGlobal} for a list key. */
    public static List<String> listOrGlobal(ComponentContext context, ConfigKey<List<String>> key, String global) {
        if (context.raw(key.name()).isPresent()) {
            return context.get(key);
        }
        List<String> g = GlobalSsl.list(global);
        return g != null ? g : context.get(key);
    }

    /** The JDK says "keystore password was incorrect" (an IOException caused by an UnrecoverableKeyException). */
    private static boolean wrongPassword(IllegalArgumentException e) {
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof UnrecoverableKeyException) {
                return true;
            }
            if (t instanceof IOException && t.getMessage() != null && t.getMessage().contains("password")) {
                return true;
            }
        }
        return false;
    }
}
