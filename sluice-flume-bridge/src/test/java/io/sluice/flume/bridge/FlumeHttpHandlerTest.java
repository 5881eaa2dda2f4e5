package io.sluice.flume.bridge;

import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.config.OrderedProperties;
import io.sluice.testing.EmbeddedAgent;
import io.sluice.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** A Flume {@code HTTPSourceHandler} from plugins.d as the handler of Sluice's http source, over real HTTP. */
class FlumeHttpHandlerTest {
    @TempDir
    Path dir;

    private static HttpResponse<String> post(int port, String body) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .header("X-Origin", "shop-7").header("Content-Type", "text/plain; charset=UTF-8")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aFlumeHandlerDecodesRequestsAndItsBadRequestIsA400() throws Exception {
        int port = FreePorts.tcp();
        Path out = dir.resolve("out.txt");
        try (EmbeddedAgent a = EmbeddedAgent.start("w1", String.join("\n",
                "w1.sources = r1", "w1.channels = c1", "w1.sinks = k1",
                "w1.sources.r1.type = http", "w1.sources.r1.bind = 127.0.0.1", "w1.sources.r1.port = " + port,
                "w1.sources.r1.handler = com.acme.flume.LinesHandler", "w1.sources.r1.handler.header = from",
                "w1.sources.r1.channels = c1",
                "w1.channels.c1.type = memory",
                "w1.sinks.k1.type = com.acme.flume.LineFileSink", "w1.sinks.k1.channel = c1",
                "w1.sinks.k1.file = " + out, "w1.sinks.k1.batchSize = 1"))) {
            assertThat(post(port, "first\n\nsecond\n").statusCode()).isEqualTo(200);
            HttpResponse<String> bad = post(port, "\n\n");
            assertThat(bad.statusCode()).isEqualTo(400);
            assertThat(bad.body()).contains("the body has no line");
            await().atMost(Duration.ofSeconds(20)).until(() -> Files.exists(out) && Files.readAllLines(out).size() == 2);
            assertThat(Files.readAllLines(out)).containsExactly("{from=shop-7}\tfirst", "{from=shop-7}\tsecond");
        }
    }

    @Test
    void aHandlerThatIsNotOneIsAProblem() {
        var report = Agent.validate(AgentSpec.fromProperties("w2", OrderedProperties.parse(String.join("\n",
                "w2.sources = r1", "w2.channels = c1", "w2.sinks = k1",
                "w2.sources.r1.type = http", "w2.sources.r1.bind = 127.0.0.1", "w2.sources.r1.port = 1",
                "w2.sources.r1.handler = com.acme.flume.CountingSink", "w2.sources.r1.channels = c1",
                "w2.channels.c1.type = memory", "w2.sinks.k1.type = null", "w2.sinks.k1.channel = c1")), dir));
        assertThat(report.problems()).map(Object::toString).anyMatch(p -> p.startsWith(
                "w2.sources.r1.handler = com.acme.flume.CountingSink: class com.acme.flume.CountingSink is a Flume sink,"
                        + " not an HTTP source handler"));
    }
}
