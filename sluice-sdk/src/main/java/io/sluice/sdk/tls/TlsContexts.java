package io.sluice.sdk.tls;

import io.netty.handler.ssl.IdentityCipherSuiteFilter;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * Creates Netty {@link SslContext}s. SSLv3 is always excluded, as in Apache Flume; an empty
 * include list means every supported protocol or cipher suite that is not excluded.
 */
public final class TlsContexts {

    private TlsContexts() {
    }

    /** Protocol and cipher-suite filters; all lists may be empty. */
    public record Filters(List<String> includeProtocols, List<String> excludeProtocols,
            List<String> includeCiphers, List<String> excludeCiphers) {
        public static final Filters DEFAULT = new Filters(List.of(), List.of("SSLv3"), List.of(), List.of());

        public Filters {
            includeProtocols = List.copyOf(includeProtocols);
            excludeProtocols = List.copyOf(excludeProtocols);
            includeCiphers = List.copyOf(includeCiphers);
            excludeCiphers = List.copyOf(excludeCiphers);
        }
    }

    /** A server context from a key store holding the server's key and certificate. */
    public static SslContext forServer(Path keystore, String password, String type, Filters filters) {
        try {
            KeyStore ks = load(keystore, password, type);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, password == null ? new char[0] : password.toCharArray());
            SslContextBuilder b = SslContextBuilder.forServer(kmf).sslProvider(SslProvider.JDK);
            return apply(b, filters).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use key store " + keystore + " (type " + type + "): "
                    + e.getMessage() + "; check the keystore path, keystore-password and keystore-type", e);
        }
    }

    /**
     * A client context: trusts every certificate when {@code trustAll}; otherwise the trust store
     * when given, else the JVM's default trust store.
     */
    public static SslContext forClient(boolean trustAll, Path truststore, String password, String type,
            Filters filters) {
        try {
            SslContextBuilder b = SslContextBuilder.forClient().sslProvider(SslProvider.JDK);
            if (trustAll) {
                b.trustManager(InsecureTrustManagerFactory.INSTANCE);
            } else if (truststore != null) {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(truststore, password, type));
                b.trustManager(tmf);
            }
            return apply(b, filters).build();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot use trust store " + truststore + " (type " + type + "): "
                    + e.getMessage() + "; check the truststore path, truststore-password and truststore-type", e);
        }
    }

    private static SslContextBuilder apply(SslContextBuilder b, Filters filters) throws GeneralSecurityException {
        SSLParameters supported = SSLContext.getDefault().getSupportedSSLParameters();
        b.protocols(select(supported.getProtocols(), filters.includeProtocols(), withSslv3(filters.excludeProtocols())));
        if (!filters.includeCiphers().isEmpty() || !filters.excludeCiphers().isEmpty()) {
            SSLParameters defaults = SSLContext.getDefault().getDefaultSSLParameters();
            b.ciphers(Arrays.asList(select(defaults.getCipherSuites(), filters.includeCiphers(),
                    filters.excludeCiphers())), IdentityCipherSuiteFilter.INSTANCE);
        }
        return b;
    }

    private static List<String> withSslv3(List<String> excluded) {
        List<String> out = new ArrayList<>(excluded);
        out.add("SSLv3");
        return out;
    }

    private static String[] select(String[] available, List<String> include, List<String> exclude) {
        Set<String> out = new LinkedHashSet<>();
        for (String s : available) {
            if ((include.isEmpty() || include.contains(s)) && !exclude.contains(s)
                    && !s.toUpperCase(Locale.ROOT).startsWith("SSLV2")) {
                out.add(s);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("no TLS protocol or cipher suite is left after include " + include
                    + " and exclude " + exclude + " from " + Arrays.toString(available));
        }
        return out.toArray(new String[0]);
    }

    private static KeyStore load(Path file, String password, String type)
            throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance(type == null || type.isBlank() ? "JKS" : type);
        try (InputStream in = Files.newInputStream(file)) {
            ks.load(in, password == null ? null : password.toCharArray());
        }
        return ks;
    }
}
