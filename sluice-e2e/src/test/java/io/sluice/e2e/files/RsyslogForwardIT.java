package io.sluice.e2e.files;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.RolledFiles;
import io.sluice.e2e.support.SluiceCli;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Debian's real {@code rsyslogd}, started as a child process with a configuration of the test's
 * own (no {@code imuxsock}, its own work directory and pid file), reads a file with {@code imfile}
 * and forwards every line with {@code omfwd} over TCP to four {@code syslogtcp} sources of a real
 * agent: RFC 5424 ({@code RSYSLOG_SyslogProtocol23Format}) and RFC 3164
 * ({@code RSYSLOG_TraditionalForwardFormat}), each with newline ("traditional") and octet-counted
 * framing. Every line must arrive exactly once per forwarding, with Flume's syslog headers.
 */
class RsyslogForwardIT {
    private static final String[][] FORWARDS = {
        {"5424-newline", "RSYSLOG_SyslogProtocol23Format", "traditional"},
        {"5424-octets", "RSYSLOG_SyslogProtocol23Format", "octet-counted"},
        {"3164-newline", "RSYSLOG_TraditionalForwardFormat", "traditional"},
        {"3164-octets", "RSYSLOG_TraditionalForwardFormat", "octet-counted"},
    };

    @TempDir
    Path dir;

    private static String rsyslogd() {
        Path sbin = Path.of("/usr/sbin/rsyslogd");
        assertThat(Files.isExecutable(sbin)).as("Debian's rsyslog is installed (.ci/packages lists it;"
                + " apt-get install -y rsyslog)").isTrue();
        return sbin.toString();
    }

    @Test
    void everyLineRsyslogForwardsArrivesOnceWithFlumesHeaders() throws Exception {
        String rsyslogd = rsyslogd();
        int[] ports = new int[FORWARDS.length];
        AgentConfig config = AgentConfig.of("a1").components("r0 r1 r2 r3", "c1", "k1");
        for (int i = 0; i < FORWARDS.length; i++) {
            ports[i] = Ports.free();
            String r = "sources.r" + i;
            config.set(r + ".type", "syslogtcp").set(r + ".host", "127.0.0.1").set(r + ".port", ports[i])
                    .set(r + ".channels", "c1").set(r + ".interceptors", "via")
                    .set(r + ".interceptors.via.type", "static").set(r + ".interceptors.via.key", "via")
                    .set(r + ".interceptors.via.value", FORWARDS[i][0]);
        }
        Path out = dir.resolve("out");
        Path conf = config.set("channels.c1.type", "memory").set("channels.c1.capacity", 10000)
                .fileRollSink("k1", "c1", out).set("sinks.k1.sink.serializer", "header_and_text")
                .writeTo(dir);

        Path input = dir.resolve("app.log");
        List<String> first = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            first.add(String.format("line-%03d payload with spaces", i));
        }
        first.add("grüße aus rsyslog");
        Files.write(input, first, StandardCharsets.UTF_8);
        Path rsyslogConf = writeRsyslogConf(input, ports);

        try (ChildProcess agent = SluiceCli.startAgent("rsyslog-agent", dir, conf, "a1")) {
            try {
                for (int port : ports) {
                    Ports.awaitListening(agent, port, Duration.ofSeconds(90));
                }
                try (ChildProcess rsyslog = ChildProcess.start("rsyslogd", List.of(rsyslogd, "-n", "-f",
                        rsyslogConf.toString(), "-i", dir.resolve("rsyslogd.pid").toString()), dir.resolve("rs"),
                        Map.of())) {
                    try {
                        // imfile reads the file from its start, then follows what is appended.
                        await("the first lines, forwarded four times, in " + out).atMost(Duration.ofSeconds(60))
                                .until(() -> RolledFiles.lines(out).size() >= 4 * first.size());
                        List<String> more = new ArrayList<>();
                        for (int i = 100; i < 150; i++) {
                            more.add(String.format("line-%03d payload with spaces", i));
                        }
                        Files.write(input, more, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
                        await("the appended lines in " + out).atMost(Duration.ofSeconds(60))
                                .until(() -> RolledFiles.lines(out).size() >= 4 * (first.size() + more.size()));
                    } catch (Throwable t) {
                        throw new AssertionError("rsyslog forwarding failed\n" + rsyslog.tail(), t);
                    }
                }
            } catch (Throwable t) {
                throw new AssertionError("rsyslog forwarding failed\n" + agent.tail(), t);
            }
        }

        List<String> lines = RolledFiles.lines(out);
        assertThat(lines).hasSize(4 * 151);
        Map<String, Integer> seen = new HashMap<>();
        for (String line : lines) {
            String via = FORWARDS[0][0];
            for (String[] f : FORWARDS) {
                if (line.contains("via=" + f[0])) {
                    via = f[0];
                }
            }
            assertThat(line).as("headers of %s", line).contains("Facility=19", "Severity=4", "priority=156",
                    "host=rsyshost", "timestamp=").doesNotContain("flume.syslog.status");
            if (via.startsWith("5424")) {
                assertThat(line).contains("version=1").contains("app - - - ");
            } else {
                assertThat(line).doesNotContain("version=").contains("app: ");
            }
            String text = line.substring(line.lastIndexOf(via.startsWith("5424") ? "app - - - " : "app: "))
                    .replaceFirst("^app( - - -|:) ", "");
            seen.merge(via + "|" + text, 1, Integer::sum);
        }
        assertThat(seen).hasSize(4 * 151).allSatisfy((k, n) -> assertThat(n).as(k).isEqualTo(1));
        for (String[] f : FORWARDS) {
            assertThat(seen).containsKeys(f[0] + "|line-000 payload with spaces", f[0] + "|line-149 payload with spaces",
                    f[0] + "|grüße aus rsyslog");
        }
    }

    /** imfile on {@code input}, one omfwd action per forwarding; no imuxsock, so the machine's log is untouched. */
    private Path writeRsyslogConf(Path input, int[] ports) throws Exception {
        Path work = Files.createDirectories(dir.resolve("rsyslog-work"));
        StringBuilder c = new StringBuilder();
        c.append("global(workDirectory=\"").append(work).append("\" localHostname=\"rsyshost\")\n");
        c.append("module(load=\"imfile\")\n");
        c.append("input(type=\"imfile\" File=\"").append(input).append("\" Tag=\"app:\" Facility=\"local3\"")
                .append(" Severity=\"warning\" ruleset=\"forward\")\n");
        c.append("ruleset(name=\"forward\") {\n");
        for (int i = 0; i < FORWARDS.length; i++) {
            c.append("  action(type=\"omfwd\" target=\"127.0.0.1\" port=\"").append(ports[i])
                    .append("\" protocol=\"tcp\" TCP_Framing=\"").append(FORWARDS[i][2]).append("\" template=\"")
                    .append(FORWARDS[i][1]).append("\" action.resumeRetryCount=\"-1\")\n");
        }
        c.append("}\n");
        return Files.writeString(dir.resolve("rsyslog.conf"), c.toString());
    }
}
