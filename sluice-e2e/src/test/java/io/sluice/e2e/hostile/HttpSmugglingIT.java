package io.sluice.e2e.hostile;

import io.sluice.e2e.support.AgentConfig;
import io.sluice.e2e.support.ChildProcess;
import io.sluice.e2e.support.Http;
import io.sluice.e2e.support.MetricsJson;
import io.sluice.e2e.support.Ports;
import io.sluice.e2e.support.SluiceCli;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Request smuggling against a running http source: every framing ambiguity is refused with the
 * connection closed, and the request hidden behind it is never committed.
 */
class HttpSmugglingIT {
    private static final String HIDDEN_BODY = "[{\"headers\":{},\"body\":\"smuggled\"}]";
    private static final String HIDDEN = "POST / HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + HIDDEN_BODY.length() + "\r\n\r\n" + HIDDEN_BODY;

    @TempDir
    Path dir;

    @Test
    void ambiguousFramingIsRefusedAndNothingBehindItIsCommitted() throws Exception {
        int httpPort = Ports.free();
        int metricsPort = Ports.free();
        Path conf = AgentConfig.of("a1")
                .components("web", "c1", "k1")
                .httpSource("web", httpPort, "c1")
                .set("channels.c1.type", "memory")
                .set("sinks.k1.type", "null").set("sinks.k1.channel", "c1")
                .writeTo(dir);
        String chunkedEnd = "0\r\n\r\n";
        List<String> attacks = List.of(
                // CL.TE: the length covers the hidden request, chunked framing ends before it.
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: " + (chunkedEnd.length() + HIDDEN.length())
                        + "\r\nTransfer-Encoding: chunked\r\n\r\n" + chunkedEnd + HIDDEN,
                // Two different lengths.
                "POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 2\r\nContent-Length: " + (2 + HIDDEN.length())
                        + "\r\n\r\n[]" + HIDDEN,
                // A folded header line hiding a length.
                "POST / HTTP/1.1\r\nHost: a\r\nX-Note: x\r\n Content-Length: 0\r\nContent-Length: 2\r\n\r\n[]" + HIDDEN,
                // A transfer coding the source does not implement.
                "POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip, chunked\r\n\r\n" + chunkedEnd + HIDDEN);

        try (ChildProcess agent = SluiceCli.startAgent("http-smuggling", dir, conf, "a1",
                "-Dflume.monitoring.type=http", "-Dflume.monitoring.port=" + metricsPort)) {
            Ports.awaitListening(agent, httpPort, Duration.ofSeconds(60));
            for (String attack : attacks) {
                try (RawSocket s = new RawSocket(httpPort)) {
                    String answer = s.write(attack).readUntilClosed(Duration.ofSeconds(20));
                    assertThat(answer).as("answer to %s", attack).isNotNull();
                    assertThat(answer).as("answer to %s", attack).matches("(?s)HTTP/1\\.1 (400|501) .*")
                            .containsIgnoringCase("connection: close")
                            .doesNotContain("HTTP/1.1 200");
                }
            }
            // A well-framed request on the same agent still works, and only it is committed.
            Http.Response ok = Http.postJson(httpPort, "/", "[{\"headers\":{},\"body\":\"honest\"}]");
            assertThat(ok.status()).as(ok.body()).isEqualTo(200);
            assertThat(MetricsJson.counter(metricsPort, "SOURCE.web", "EventAcceptedCount")).isEqualTo(1);
            assertThat(MetricsJson.counter(metricsPort, "SOURCE.web", "EventReadFail")).isEqualTo(attacks.size());
        }
    }
}
