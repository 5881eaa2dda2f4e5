package io.sluice.core.source.syslog;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.Source;
import io.sluice.api.config.ConfigProblem;
import io.sluice.core.iotest.MemoryPipe;
import io.sluice.core.iotest.TestContexts;
import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The syslog sources receive what util-linux {@code logger} (a real sender, started as a process)
 * sends over TCP (newline framing and RFC 6587 octet counting) and UDP, in RFC 5424 and RFC 3164.
 */
class SyslogSourcesLoggerTest {
    private final SourceUnderTest running = new SourceUnderTest();

    @AfterEach
    void stop() {
        running.close();
    }

    private void start(ComponentFactory<Source> factory, Map<String, String> keys) {
        running.start(factory, keys);
    }

    private static void logger(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("logger"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("logger finished").isTrue();
        assertThat(p.exitValue()).as("logger exit code: %s", new String(p.getInputStream().readAllBytes())).isZero();
    }

    private List<Event> received(int n) {
        return running.received(n);
    }

    @Test
    void syslogtcpReadsLoggersRfc5424AndRfc3164OverNewlineAndOctetCountedFraming() throws Exception {
        int port = FreePorts.tcp();
        start(new SyslogTcpSourceFactory(), Map.of("port", Integer.toString(port), "clientIPHeader", "client"));
        String p = Integer.toString(port);
        logger("-n", "127.0.0.1", "-P", p, "-T", "--rfc5424", "-t", "app", "-p", "local3.err", "--", "first message");
        logger("-n", "127.0.0.1", "-P", p, "-T", "--octet-count", "--rfc5424", "-t", "app", "-p", "user.notice",
                "--", "second message");
        logger("-n", "127.0.0.1", "-P", p, "-T", "--rfc3164", "-t", "old", "-p", "auth.info", "--", "third message");
        List<Event> got = received(3);
        assertThat(got).hasSize(3);
        Event first = got.stream().filter(e -> e.bodyAsString().endsWith("first message")).findFirst().orElseThrow();
        assertThat(first.headers()).containsEntry("Facility", "19").containsEntry("Severity", "3")
                .containsEntry("priority", "155").containsEntry("version", "1").containsKey("timestamp")
                .containsKey("host").containsEntry("client", "127.0.0.1").doesNotContainKey("flume.syslog.status");
        assertThat(first.bodyAsString()).startsWith("app ");
        Event second = got.stream().filter(e -> e.bodyAsString().endsWith("second message")).findFirst().orElseThrow();
        assertThat(second.headers()).containsEntry("Facility", "1").containsEntry("Severity", "5");
        Event third = got.stream().filter(e -> e.bodyAsString().endsWith("third message")).findFirst().orElseThrow();
        assertThat(third.headers()).containsEntry("Facility", "4").containsEntry("Severity", "6")
                .doesNotContainKey("version").containsKey("timestamp").containsKey("host");
        assertThat(third.bodyAsString()).startsWith("old");
    }

    @Test
    void syslogudpReadsLoggersDatagrams() throws Exception {
        int port = FreePorts.udp();
        start(new SyslogUdpSourceFactory(), Map.of("port", Integer.toString(port), "keepFields", "true"));
        logger("-n", "127.0.0.1", "-P", Integer.toString(port), "-d", "--rfc5424", "-t", "udpapp", "-p", "daemon.warning",
                "--", "over udp");
        Event e = received(1).get(0);
        assertThat(e.headers()).containsEntry("Facility", "3").containsEntry("Severity", "4");
        assertThat(e.bodyAsString()).startsWith("<28>1 ").endsWith("over udp");
    }

    @Test
    void multiportSyslogTcpListensOnEveryPortAndNamesIt() throws Exception {
        int a = FreePorts.tcp();
        int b = FreePorts.tcp();
        start(new MultiportSyslogTcpSourceFactory(), Map.of("ports", a + " " + b, "portHeader", "port",
                "charset.port." + b, "ISO-8859-1", "batchSize", "10", "numProcessors", "1", "readBufferBytes", "2048"));
        logger("-n", "127.0.0.1", "-P", Integer.toString(a), "-T", "--rfc5424", "--", "to a");
        logger("-n", "127.0.0.1", "-P", Integer.toString(b), "-T", "--rfc3164", "--", "to b");
        List<Event> got = received(2);
        assertThat(got).extracting(e -> e.header("port") + ":" + e.bodyAsString().substring(e.bodyAsString().length() - 4))
                .containsExactlyInAnyOrder(a + ":to a", b + ":to b");
    }

    @Test
    void aFullChannelHoldsTheTcpSenderBackInsteadOfDroppingMessages() throws Exception {
        MemoryPipe small = new MemoryPipe(150, 10); // room for one batch of 100, not two
        int port = FreePorts.tcp();
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("host", "127.0.0.1",
                "port", Integer.toString(port)));
        Source source = new SyslogTcpSourceFactory().create(ctx.context());
        running.stopAtClose(source);
        source.setChannelProcessor(small.processor());
        source.start();
        StringBuilder all = new StringBuilder();
        for (int i = 0; i < 200; i++) {
            all.append("<13>Dec  6 11:30:00 h m").append(i).append('\n');
        }
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.getOutputStream().write(all.toString().getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> ctx.counters().find("SOURCE", "r1").get("ChannelWriteFail") > 0);
            List<String> got = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                small.drain().forEach(e -> got.add(e.bodyAsString()));
                return got.size() >= 200;
            });
            assertThat(got).hasSize(200).doesNotHaveDuplicates().contains("m0", "m199");
        }
    }

    @Test
    void badPortsAndCharsetsAreReportedWithTheirKeys() {
        TestContexts ctx = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("host", "127.0.0.1",
                "ports", "5140 x", "charset.port.5140", "NOPE"));
        assertThat(new MultiportSyslogTcpSourceFactory().create(ctx.context())).isNull();
        assertThat(ctx.problems()).extracting(ConfigProblem::toString)
                .anyMatch(p -> p.contains("a1.sources.r1.ports = 5140 x"))
                .anyMatch(p -> p.contains("a1.sources.r1.charset.port.5140 = NOPE"));
        TestContexts formats = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("host", "127.0.0.1",
                "port", "5140", "format.regex", "(.*)"));
        assertThat(new SyslogTcpSourceFactory().create(formats.context())).isNull();
        assertThat(formats.problems()).extracting(ConfigProblem::toString)
                .anyMatch(p -> p.contains("a1.sources.r1.format.regex = (.*): custom syslog header formats"));
    }

    @Test
    void badConnectionLimitsAreReportedWithTheirKeys() {
        TestContexts tcp = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("host", "127.0.0.1", "port", "5140",
                "idleTimeout", "0", "readTimeout", "soon", "maxConnections", "-1"));
        // A bad value is a problem (the agent refuses the configuration); create goes on with the default.
        new SyslogTcpSourceFactory().create(tcp.context());
        assertThat(tcp.problems()).extracting(ConfigProblem::toString)
                .anyMatch(p -> p.contains("a1.sources.r1.idleTimeout = 0"))
                .anyMatch(p -> p.contains("a1.sources.r1.readTimeout = soon"))
                .anyMatch(p -> p.contains("a1.sources.r1.maxConnections = -1"));
        TestContexts multi = TestContexts.of(ComponentKind.SOURCE, "r1", Map.of("host", "127.0.0.1",
                "ports", "5140 5141", "maxConnections", "0"));
        new MultiportSyslogTcpSourceFactory().create(multi.context());
        assertThat(multi.problems()).extracting(ConfigProblem::toString)
                .anyMatch(p -> p.contains("a1.sources.r1.maxConnections = 0"));
    }
}
