package io.sluice.core.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.api.metrics.SourceCounter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsServerTest {

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static CounterRegistry registry() {
        CounterRegistry r = new CounterRegistry();
        ChannelCounter c = r.register(new ChannelCounter("c1"));
        c.setCapacity(200);
        c.setSize(50);
        c.addPutSuccesses(70);
        c.markStarted(1_700_000_000_123L);
        SourceCounter s = r.register(new SourceCounter("r1"));
        s.addReceived(7);
        s.addAccepted(6);
        return r;
    }

    @Test
    void servesFlumeJsonShapeWithStringValues() throws Exception {
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, "a1", MetricsServerTest::registry)) {
            HttpResponse<String> res = get(server.port(), "/metrics");
            assertThat(res.statusCode()).isEqualTo(200);
            assertThat(res.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).contains("json"));
            JsonNode json = new ObjectMapper().readTree(res.body());
            JsonNode c1 = json.get("CHANNEL.c1");
            assertThat(c1.get("Type").asText()).isEqualTo("CHANNEL");
            assertThat(c1.get("ChannelSize").isTextual()).isTrue();
            assertThat(c1.get("ChannelSize").asText()).isEqualTo("50");
            assertThat(c1.get("ChannelCapacity").asText()).isEqualTo("200");
            assertThat(c1.get("ChannelFillPercentage").asText()).isEqualTo("25.0");
            assertThat(c1.get("EventPutSuccessCount").asText()).isEqualTo("70");
            assertThat(c1.get("StartTime").asText()).isEqualTo("1700000000123");
            assertThat(c1.get("StopTime").asText()).isEqualTo("0");
            JsonNode r1 = json.get("SOURCE.r1");
            assertThat(r1.get("Type").asText()).isEqualTo("SOURCE");
            assertThat(r1.get("EventReceivedCount").asText()).isEqualTo("7");
            assertThat(r1.get("EventAcceptedCount").asText()).isEqualTo("6");
        }
    }

    @Test
    void servesPrometheusTextWithLabelsAndTypes() throws Exception {
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, "a1", MetricsServerTest::registry)) {
            HttpResponse<String> res = get(server.port(), "/prometheus");
            assertThat(res.statusCode()).isEqualTo(200);
            String body = res.body();
            assertThat(body).contains("# TYPE sluice_channel_size gauge\n"
                    + "sluice_channel_size{agent=\"a1\",kind=\"channel\",component=\"c1\"} 50\n");
            assertThat(body).contains("# TYPE sluice_event_put_success_total counter\n"
                    + "sluice_event_put_success_total{agent=\"a1\",kind=\"channel\",component=\"c1\"} 70\n");
            assertThat(body).contains("sluice_event_received_total{agent=\"a1\",kind=\"source\",component=\"r1\"} 7\n");
            assertThat(body).contains("sluice_channel_fill_percentage{agent=\"a1\",kind=\"channel\",component=\"c1\"} 25.0");
            assertThat(body).contains("sluice_start_time_seconds{agent=\"a1\",kind=\"channel\",component=\"c1\"} 1700000000.123");
            assertThat(body).contains("sluice_channel_write_fail_total{agent=\"a1\",kind=\"source\",component=\"r1\"} 0");
            for (String line : body.split("\n")) {
                assertThat(line).matches("(# TYPE [a-z_]+ (counter|gauge|histogram|summary))"
                        + "|([a-z_]+\\{[^}]*\\} ([0-9.]+(E-?[0-9]+)?|NaN))");
            }
        }
    }

    @Test
    void unknownPathIs404() throws Exception {
        try (MetricsServer server = MetricsServer.start("127.0.0.1", 0, "a1", CounterRegistry::new)) {
            assertThat(get(server.port(), "/nope").statusCode()).isEqualTo(404);
        }
    }

    @Test
    void camelCaseBecomesSnakeCase() {
        assertThat(PrometheusText.snake("EventReceivedCount")).isEqualTo("event_received_count");
        assertThat(PrometheusText.snake("ChannelFillPercentage")).isEqualTo("channel_fill_percentage");
        assertThat(PrometheusText.snake("KafkaEventGetTimer")).isEqualTo("kafka_event_get_timer");
    }
}
