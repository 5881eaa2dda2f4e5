package io.sluice.e2e.files;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A real agent with the three syslog sources receives what util-linux {@code logger} sends (TCP with
 * newline framing and with octet counting, UDP; RFC 5424 and RFC 3164) and writes it with the
 * header_and_text serializer, so the Flume headers can be checked in the output.
 */
class SyslogLoggerIT {
    @TempDir
    Path dir;

    private static void logger(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("logger"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    @Test
    void loggerMessagesArriveWithFlumesSyslogHeaders() throws Exception {
        int tcp = Ports.free();
        int multi = Ports.free();
        int udp = Ports.free();
        Path out = dir.resolve("out");
        Path conf = AgentConfig.of("a1")
                .components("r1 r2 r3", "c1", "k1")
                .set("sources.r1.type", "syslogtcp").set("sources.r1.host", "127.0.0.1")
                .set("sources.r1.port", tcp).set("sources.r1.channels", "c1")
                .set("sources.r2.type", "multiport_syslogtcp").set("sources.r2.host", "127.0.0.1")
                .set("sources.r2.ports", multi).set("sources.r2.portHeader", "port").set("sources.r2.channels", "c1")
                .set("sources.r3.type", "org.apache.flume.source.SyslogUDPSource").set("sources.r3.host", "127.0.0.1")
                .set("sources.r3.port", udp).set("sources.r3.channels", "c1")
                .set("channels.c1.type", "memory")
                .fileRollSink("k1", "c1", out)
                .set("sinks.k1.sink.serializer", "header_and_text")
                .writeTo(dir);
        try (ChildProcess agent = SluiceCli.startAgent("syslog", dir, conf, "a1")) {
            try {
                Ports.awaitListening(agent, tcp, Duration.ofSeconds(90));
                Ports.awaitListening(agent, multi, Duration.ofSeconds(30));
                logger("-n", "127.0.0.1", "-P", Integer.toString(tcp), "-T", "--rfc5424", "-p", "local3.err", "--",
                        "tcp-newline");
                logger("-n", "127.0.0.1", "-P", Integer.toString(tcp), "-T", "--octet-count", "--rfc5424", "--",
                        "tcp-octets");
                logger("-n", "127.0.0.1", "-P", Integer.toString(multi), "-T", "--rfc3164", "-p", "auth.info", "--",
                        "multi-3164");
                logger("-n", "127.0.0.1", "-P", Integer.toString(udp), "-d", "--rfc5424", "--", "udp-5424");
                await("four syslog lines in " + out).atMost(Duration.ofSeconds(60))
                        .until(() -> RolledFiles.lines(out).size() >= 4);
            } catch (Throwable t) {
                throw new AssertionError("syslog agent run failed\n" + agent.tail(), t);
            }
        }
        List<String> lines = RolledFiles.lines(out);
        assertThat(lines).hasSize(4);
        assertThat(lines).filteredOn(l -> l.endsWith("tcp-newline")).singleElement().asString()
                .contains("Facility=19", "Severity=3", "priority=155", "version=1", "timestamp=", "host=");
        assertThat(lines).filteredOn(l -> l.endsWith("tcp-octets")).singleElement().asString()
                .contains("Facility=1", "Severity=5", "version=1");
        assertThat(lines).filteredOn(l -> l.endsWith("multi-3164")).singleElement().asString()
                .contains("Facility=4", "Severity=6", "port=" + multi).doesNotContain("version=");
        assertThat(lines).filteredOn(l -> l.endsWith("udp-5424")).singleElement().asString()
                .contains("Facility=1", "Severity=5", "version=1");
        assertThat(lines).noneMatch(l -> l.contains("flume.syslog.status"));
    }
}
