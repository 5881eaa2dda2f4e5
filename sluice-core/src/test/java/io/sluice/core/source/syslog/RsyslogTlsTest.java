package io.sluice.core.source.syslog;

import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Debian's real {@code rsyslogd} with {@code rsyslog-gnutls} forwards over TLS to a
 * {@code syslogtcp} source with {@code ssl = true}: {@code omfwd} with {@code StreamDriver="gtls"},
 * {@code StreamDriverMode="1"} and {@code StreamDriverAuthMode="x509/certvalid"}, so rsyslog checks
 * the source's certificate against a CA this test makes with OpenSSL. rsyslogd runs unprivileged as
 * a child process with a configuration of the test's own (no {@code imuxsock}, its own work
 * directory and pid file), reads a file with {@code imfile} and forwards every line, RFC 5424 and
 * octet-counted. Every line arrives once, with Flume's syslog headers, and nothing is counted as
 * failed.
 */
class RsyslogTlsTest {
    private static final String PASSWORD = "changeit";

    @TempDir
    Path dir;

    private final SourceUnderTest running = new SourceUnderTest();
    private Process rsyslog;

    @AfterEach
    void stop() throws InterruptedException {
        if (rsyslog != null) {
            rsyslog.destroy();
            if (!rsyslog.waitFor(20, TimeUnit.SECONDS)) {
                rsyslog.destroyForcibly();
            }
        }
        running.close();
    }

    @Test
    void rsyslogForwardsOverTlsCheckingTheSourcesCertificate() throws Exception {
        Path rsyslogd = Path.of("/usr/sbin/rsyslogd");
        assertThat(Files.isExecutable(rsyslogd)).as("Debian's rsyslog is installed (.ci/packages lists it;"
                + " apt-get install -y rsyslog)").isTrue();
        assertThat(Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so")).as("rsyslog's TLS driver is"
                + " installed (.ci/packages lists rsyslog-gnutls; apt-get install -y rsyslog-gnutls)").exists();
        Path ca = makeCertificates();

        int port = FreePorts.tcp();
        running.start(new SyslogTcpSourceFactory(), Map.of("port", Integer.toString(port), "ssl", "true",
                "keystore", dir.resolve("server.p12").toString(), "keystore-password", PASSWORD,
                "keystore-type", "PKCS12"));

        Path input = dir.resolve("app.log");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add(String.format("line-%03d over tls", i));
        }
        lines.add("grüße über tls");
        Files.write(input, lines, StandardCharsets.UTF_8);
        Path conf = writeRsyslogConf(input, ca, port);
        Path output = dir.resolve("rsyslogd.out");
        rsyslog = new ProcessBuilder(rsyslogd.toString(), "-n", "-f", conf.toString(), "-i",
                dir.resolve("rsyslogd.pid").toString()).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();

        List<Event> got = new ArrayList<>();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> {
                got.addAll(running.pipe.drain());
                return got.size() >= lines.size();
            });
        } catch (Throwable t) {
            throw new AssertionError("rsyslog did not forward every line over TLS (" + got.size() + " of "
                    + lines.size() + "); rsyslogd said:\n" + Files.readString(output), t);
        }
        Map<String, Integer> seen = new HashMap<>();
        for (Event e : got) {
            assertThat(e.headers()).as("headers of %s", e.bodyAsString()).containsEntry("Facility", "19")
                    .containsEntry("Severity", "4").containsEntry("host", "rsyshost").containsEntry("version", "1")
                    .containsKey("timestamp").doesNotContainKey("flume.syslog.status");
            String body = e.bodyAsString();
            assertThat(body).contains("app - - - ");
            seen.merge(body.substring(body.indexOf("app - - - ") + "app - - - ".length()), 1, Integer::sum);
        }
        assertThat(seen).containsOnlyKeys(lines).allSatisfy((line, n) -> assertThat(n).as(line).isEqualTo(1));
        assertThat(running.counter(SourceCounter.EVENT_READ_FAIL)).as("connections refused or messages lost")
                .isZero();
    }

    /** A CA, and the source's key and certificate signed by it in a PKCS12 key store; returns the CA's PEM. */
    private Path makeCertificates() throws IOException, InterruptedException {
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=Sluice test CA",
                "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign",
                "-keyout", "ca.key", "-out", "ca.pem");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out",
                "server.csr");
        Files.writeString(dir.resolve("server.ext"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n"
                + "extendedKeyUsage=serverAuth\nkeyUsage=critical,digitalSignature,keyEncipherment\n");
        openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days",
                "2", "-extfile", "server.ext", "-out", "server.pem");
        openssl("pkcs12", "-export", "-in", "server.pem", "-inkey", "server.key", "-certfile", "ca.pem", "-name",
                "server", "-passout", "pass:" + PASSWORD, "-out", "server.p12");
        return dir.resolve("ca.pem");
    }

    private void openssl(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("openssl %s ended", cmd).isTrue();
        assertThat(p.exitValue()).as("openssl %s failed (.ci/packages lists openssl): %s", cmd, out).isZero();
    }

    /** imfile on {@code input}, forwarded by omfwd over TLS; no imuxsock, so the machine's log is untouched. */
    private Path writeRsyslogConf(Path input, Path ca, int port) throws IOException {
        Path work = Files.createDirectories(dir.resolve("rsyslog-work"));
        String c = "global(workDirectory=\"" + work + "\" localHostname=\"rsyshost\"\n"
                + "       DefaultNetstreamDriver=\"gtls\" DefaultNetstreamDriverCAFile=\"" + ca + "\")\n"
                + "module(load=\"imfile\")\n"
                + "input(type=\"imfile\" File=\"" + input + "\" Tag=\"app:\" Facility=\"local3\" Severity=\"warning\""
                + " ruleset=\"forward\")\n"
                + "ruleset(name=\"forward\") {\n"
                + "  action(type=\"omfwd\" target=\"127.0.0.1\" port=\"" + port + "\" protocol=\"tcp\""
                + " StreamDriver=\"gtls\" StreamDriverMode=\"1\" StreamDriverAuthMode=\"x509/certvalid\""
                + " TCP_Framing=\"octet-counted\" template=\"RSYSLOG_SyslogProtocol23Format\""
                + " action.resumeRetryCount=\"-1\")\n"
                + "}\n";
        return Files.writeString(dir.resolve("rsyslog.conf"), c);
    }
}
