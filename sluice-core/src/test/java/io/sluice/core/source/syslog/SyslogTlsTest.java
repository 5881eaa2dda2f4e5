package io.sluice.core.source.syslog;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Source;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.core.iotest.TestContexts;
import io.sluice.testing.FreePorts;
import io.sluice.testing.TestKeystores;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The TCP syslog sources over TLS, with Apache Flume's keys, against real TLS clients: the JDK's
 * {@link SSLSocket} (verifying the server's certificate) and OpenSSL's {@code s_client} started as
 * a process. util-linux {@code logger} cannot send over TLS (it has no TLS option), so it is not
 * used here.
 */
class SyslogTlsTest {
    @TempDir
    Path dir;

    private final SourceUnderTest running = new SourceUnderTest();

    @AfterEach
    void stop() {
        running.close();
    }

    private void start(ComponentFactory<Source> factory, Map<String, String> keys) {
        running.start(factory, keys);
    }

    private static Map<String, String> tls(TestKeystores stores) {
        return Map.of("ssl", "true", "keystore", stores.keystore().toString(), "keystore-password",
                TestKeystores.PASSWORD, "keystore-type", stores.type());
    }

    private static SSLSocket tlsSocket(TestKeystores stores, int port) throws Exception {
        KeyStore trust = KeyStore.getInstance(stores.type());
        try (InputStream in = Files.newInputStream(stores.truststore())) {
            trust.load(in, TestKeystores.PASSWORD.toCharArray());
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        return s;
    }

    private List<Event> received(int n) {
        return running.received(n);
    }

    private static Event withBody(List<Event> events, String end) {
        return events.stream().filter(e -> e.bodyAsString().endsWith(end)).findFirst().orElseThrow();
    }

    @Test
    void syslogtcpWithSslReceivesFromTheJdksTlsClientAndFromOpenssl() throws Exception {
        TestKeystores stores = TestKeystores.create(dir, "JKS");
        int port = FreePorts.tcp();
        start(new SyslogTcpSourceFactory(), withTls(stores, Map.of("port", Integer.toString(port),
                "clientIPHeader", "client")));

        // A plain TCP sender is not understood by a TLS port: the source closes its connection, counts
        // it and says why; its message is never delivered.
        Logger sourceLog = (Logger) LoggerFactory.getLogger(SyslogTcpSource.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        sourceLog.addAppender(logged);
        try (Socket plain = new Socket("127.0.0.1", port)) {
            plain.getOutputStream().write("<13>Dec  6 11:30:00 h plain text\n".getBytes(StandardCharsets.UTF_8));
            plain.getOutputStream().flush();
            plain.setSoTimeout(20_000);
            assertThat(plain.getInputStream().read()).as("the source closed the plain connection").isEqualTo(-1);
            await().atMost(Duration.ofSeconds(20)).until(() -> running.counter(SourceCounter.EVENT_READ_FAIL) == 1);
            assertThat(logged.list).extracting(ILoggingEvent::getFormattedMessage)
                    .filteredOn(m -> m.contains("sent plain text to a port with ssl = true")).singleElement()
                    .asString().startsWith("[a1.sources.r1] closing connection from /127.0.0.1:");
        } finally {
            sourceLog.detachAppender(logged);
        }
        try (SSLSocket s = tlsSocket(stores, port)) {
            OutputStream out = s.getOutputStream();
            out.write("<165>1 2026-12-06T12:00:00.000Z web1 app 42 ID7 - over jdk tls\n"
                    .getBytes(StandardCharsets.UTF_8));
            String counted = "<34>Dec  6 12:00:01 web2 su: counted over tls";
            out.write((counted.length() + " " + counted).getBytes(StandardCharsets.UTF_8));
            out.flush();
            List<Event> got = received(2);
            Event first = withBody(got, "over jdk tls");
            assertThat(first.headers()).containsEntry("Facility", "20").containsEntry("Severity", "5")
                    .containsEntry("host", "web1").containsEntry("version", "1").containsEntry("client", "127.0.0.1");
            Event second = withBody(got, "counted over tls");
            assertThat(second.headers()).containsEntry("Facility", "4").containsEntry("Severity", "2")
                    .containsEntry("host", "web2");
        }

        Process openssl = new ProcessBuilder("openssl", "s_client", "-connect", "127.0.0.1:" + port, "-quiet",
                "-no_ign_eof").redirectErrorStream(true).start();
        try (OutputStream in = openssl.getOutputStream()) {
            in.write("<14>1 2026-12-06T12:00:02Z web3 cli - - - from openssl s_client\n"
                    .getBytes(StandardCharsets.UTF_8));
        }
        Event fromOpenssl = received(1).get(0);
        assertThat(openssl.waitFor(20, TimeUnit.SECONDS)).as("openssl s_client ended").isTrue();
        assertThat(fromOpenssl.bodyAsString()).endsWith("from openssl s_client");
        assertThat(fromOpenssl.headers()).containsEntry("host", "web3").containsEntry("Severity", "6");
        assertThat(running.pipe.drain()).as("the plain TCP message was not delivered").isEmpty();
    }

    @Test
    void multiportSyslogTcpServesTlsOnEveryPortWithAPkcs12KeyStore() throws Exception {
        TestKeystores stores = TestKeystores.create(dir, "PKCS12");
        int a = FreePorts.tcp();
        int b = FreePorts.tcp();
        start(new MultiportSyslogTcpSourceFactory(), withTls(stores, Map.of("ports", a + " " + b,
                "portHeader", "port", "include-protocols", "TLSv1.2 TLSv1.3")));
        for (int port : new int[] {a, b}) {
            try (SSLSocket s = tlsSocket(stores, port)) {
                assertThat(s.getSession().getProtocol()).isIn("TLSv1.2", "TLSv1.3");
                s.getOutputStream().write(("<13>1 - h app - - - to " + port + "\n").getBytes(StandardCharsets.UTF_8));
                s.getOutputStream().flush();
                assertThat(received(1)).extracting(e -> e.header("port")).containsExactly(Integer.toString(port));
            }
        }
    }

    @Test
    void aWrongKeystorePasswordIsAConfigurationProblemNamingItsKey() throws Exception {
        TestKeystores stores = TestKeystores.create(dir, "JKS");
        Map<String, String> keys = new HashMap<>(Map.of("host", "127.0.0.1", "port", "5140", "ssl", "true",
                "keystore", stores.keystore().toString(), "keystore-password", "not-the-password"));
        TestContexts wrong = TestContexts.of(ComponentKind.SOURCE, "r1", keys);
        assertThat(new SyslogTcpSourceFactory().create(wrong.context())).isNull();
        assertThat(wrong.problems()).extracting(ConfigProblem::toString).singleElement().asString()
                .startsWith("a1.sources.r1.keystore-password = ****: does not open the key store")
                .doesNotContain("not-the-password");

        TestContexts missing = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("host", "127.0.0.1",
                "ports", "5140", "ssl", "true", "keystore", dir.resolve("nope.jks").toString()));
        assertThat(new MultiportSyslogTcpSourceFactory().create(missing.context())).isNull();
        assertThat(missing.problems()).extracting(ConfigProblem::key)
                .containsExactlyInAnyOrder("a1.sources.r1.keystore", "a1.sources.r1.keystore-password");

        TestContexts noProtocol = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("host", "127.0.0.1",
                "port", "5140", "ssl", "true", "keystore", stores.keystore().toString(), "keystore-password",
                TestKeystores.PASSWORD, "include-protocols", "TLSv9"));
        assertThat(new SyslogTcpSourceFactory().create(noProtocol.context())).isNull();
        assertThat(noProtocol.problems()).extracting(ConfigProblem::key).containsExactly("a1.sources.r1.include-protocols");

        TestContexts ignored = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("host", "127.0.0.1",
                "port", "5140", "keystore", stores.keystore().toString()));
        assertThat(new SyslogTcpSourceFactory().create(ignored.context())).isNotNull();
        assertThat(ignored.warnings()).anyMatch(w -> w.contains("keystore") && w.contains("ssl is false"));
    }

    private static Map<String, String> withTls(TestKeystores stores, Map<String, String> keys) {
        Map<String, String> all = new HashMap<>(keys);
        all.putAll(tls(stores));
        return all;
    }
}
