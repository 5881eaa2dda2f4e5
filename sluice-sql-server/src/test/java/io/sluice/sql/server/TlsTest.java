package io.sluice.sql.server;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** --tls-keystore: the API over HTTPS with a real key store made by the JDK's keytool. */
class TlsTest {
    @TempDir
    Path dir;

    @Test
    void theApiIsServedOverHttpsAndPlainHttpGetsNothing() throws Exception {
        Path ks = dir.resolve("server.p12");
        Process keytool = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
                .toString(), "-genkeypair", "-alias", "rtsql", "-keyalg", "RSA", "-keysize", "2048", "-validity", "2",
                "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12", "-keystore",
                ks.toString(), "-storepass", "secret1", "-keypass", "secret1")).redirectErrorStream(true).start();
        assertThat(keytool.waitFor()).as(new String(keytool.getInputStream().readAllBytes())).isZero();
        try (SqlServer server = SqlServer.start(ServerOptions.defaults(0, dir.resolve("data"))
                .withTls(ks, "secret1", "PKCS12"))) {
            KeyStore trust = KeyStore.getInstance("PKCS12");
            try (InputStream in = Files.newInputStream(ks)) {
                trust.load(in, "secret1".toCharArray());
            }
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
            SSLContext ssl = SSLContext.getInstance("TLS");
            ssl.init(null, tmf.getTrustManagers(), null);
            HttpClient https = HttpClient.newBuilder().sslContext(ssl).connectTimeout(Duration.ofSeconds(5)).build();
            String base = "https://127.0.0.1:" + server.address().getPort();
            HttpResponse<String> ok = https.send(HttpRequest.newBuilder(URI.create(base + "/v1/statements"))
                    .header("Authorization", "Bearer " + server.token())
                    .POST(HttpRequest.BodyPublishers.ofString("{\"sql\":\"SHOW FLOWS\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(ok.statusCode()).isEqualTo(200);
            assertThat(ok.body()).contains("0 flow(s)");
            HttpResponse<String> noToken = https.send(HttpRequest.newBuilder(URI.create(base + "/v1/flows")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(noToken.statusCode()).isEqualTo(401);
            // a client that does not trust the certificate cannot talk to it
            HttpClient untrusting = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            assertThatThrownBy(() -> untrusting.send(HttpRequest.newBuilder(URI.create(base + "/v1/flows")).build(),
                    HttpResponse.BodyHandlers.ofString())).isInstanceOf(SSLHandshakeException.class);
        }
    }

    @Test
    void aWrongKeyStorePasswordFailsTheStartWithWhatToCheck() throws Exception {
        Path ks = dir.resolve("missing.p12");
        assertThatThrownBy(() -> SqlServer.start(ServerOptions.defaults(0, dir.resolve("data"))
                .withTls(ks, "x", "PKCS12"))).hasMessageContaining("--tls-keystore " + ks)
                .hasMessageContaining("--tls-keystore-password");
    }
}
