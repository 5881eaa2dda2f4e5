package io.sluice.sql.agent.http;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Where an rtsql server listens and how to reach it: {@code HOST:PORT}, plain or TLS (with the
 * JVM's trust store or a given one), and the bearer token every request carries. Immutable.
 */
public final class ServerAddress {
    private final String host;
    private final int port;
    private final String token;
    private final SSLSocketFactory tls;

    private ServerAddress(String host, int port, String token, SSLSocketFactory tls) {
        this.host = host;
        this.port = port;
        this.token = token;
        this.tls = tls;
    }

    /**
     * @param hostPort   {@code HOST:PORT}
     * @param token      the server's token (its {@code <data-dir>/token})
     * @param tls        connect with TLS
     * @param truststore a JKS or PKCS12 trust store to check the server's certificate with, or null
     *                   for the JVM's ({@code javax.net.ssl.trustStore}); its password, if it needs
     *                   one, is {@code javax.net.ssl.trustStorePassword}
     * @throws IllegalArgumentException naming what is wrong and what to do
     */
    public static ServerAddress of(String hostPort, String token, boolean tls, Path truststore) {
        requireNonNull(hostPort, "hostPort is null");
        int colon = hostPort.lastIndexOf(':');
        if (colon <= 0 || colon == hostPort.length() - 1) {
            throw new IllegalArgumentException("'" + hostPort + "' is not HOST:PORT (e.g. 127.0.0.1:9292)");
        }
        String host = hostPort.substring(0, colon).trim();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(hostPort.substring(colon + 1).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + hostPort + "': the port is not a number (e.g. 127.0.0.1:9292)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("'" + hostPort + "': port " + port + " (expected: 1 to 65535)");
        }
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("no token for the rtsql server " + hostPort + ": give the file the server "
                    + "wrote (<data-dir>/token) or set SLUICE_TOKEN");
        }
        if (truststore != null && !tls) {
            throw new IllegalArgumentException("a trust store was given for " + hostPort + " without TLS: turn TLS on "
                    + "too, or leave the trust store out");
        }
        return new ServerAddress(host, port, token.trim(), tls ? socketFactory(truststore) : null);
    }

    /** The token in {@code file} (its first line, trimmed). */
    public static String readToken(Path file) {
        try {
            String text = Files.readString(file).trim();
            int nl = text.indexOf('\n');
            return nl < 0 ? text : text.substring(0, nl).trim();
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the token file " + file + " (" + e + "); give the file "
                    + "the server wrote (<data-dir>/token)");
        }
    }

    private static SSLSocketFactory socketFactory(Path truststore) {
        if (truststore == null) {
            return (SSLSocketFactory) SSLSocketFactory.getDefault();
        }
        try (InputStream in = Files.newInputStream(truststore)) {
            String password = System.getProperty("javax.net.ssl.trustStorePassword");
            KeyStore ks = KeyStore.getInstance(truststore.toString().endsWith(".jks") ? "JKS" : KeyStore.getDefaultType());
            ks.load(in, password == null ? null : password.toCharArray());
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx.getSocketFactory();
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("cannot read the trust store " + truststore + " (" + e.getMessage()
                    + "); give a JKS or PKCS12 file (its password in -Djavax.net.ssl.trustStorePassword)");
        }
    }

    public String host() {
        return host;
    }

    public int port() {
        return port;
    }

    public boolean tls() {
        return tls != null;
    }

    String token() {
        return token;
    }

    /** A connected socket (TLS handshake done, host name checked) with {@code readTimeout} set. */
    Socket connect(Duration connectTimeout, Duration readTimeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(host, port), (int) connectTimeout.toMillis());
            s.setTcpNoDelay(true);
            s.setKeepAlive(true);
            s.setSoTimeout((int) readTimeout.toMillis());
            if (tls == null) {
                return s;
            }
            SSLSocket ssl = (SSLSocket) tls.createSocket(s, host, port, true);
            SSLParameters params = ssl.getSSLParameters();
            params.setEndpointIdentificationAlgorithm("HTTPS");
            ssl.setSSLParameters(params);
            ssl.startHandshake();
            return ssl;
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerAddress a && a.host.equals(host) && a.port == port && a.token.equals(token)
                && a.tls() == tls();
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, tls());
    }

    /** {@code http://HOST:PORT} or {@code https://HOST:PORT} (never the token). */
    @Override
    public String toString() {
        return (tls == null ? "http://" : "https://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
