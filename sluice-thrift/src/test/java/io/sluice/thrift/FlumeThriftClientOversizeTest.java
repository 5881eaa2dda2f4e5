package io.sluice.thrift;

import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What Apache Flume 1.11's real thrift client (flume-ng-sdk's {@code ThriftRpcClient} with
 * libthrift 0.14.1, from Flume's own jars) sees when its batch is over a Sluice thrift source's
 * {@code max-frame-bytes}: an error naming both sizes and what to change, not a closed connection
 * or a hang; a batch that fits then goes through.
 */
class FlumeThriftClientOversizeTest {

    @ParameterizedTest
    @ValueSource(strings = {"compact", "binary"})
    void flumesThriftClientIsToldItsBatchIsOverMaxFrameBytes(String protocol) throws Exception {
        try (Receiver receiver = Receiver.start(ThriftSourceConfig.plain("127.0.0.1", 0)
                .withLimits(16 * 1024, 10_000, 0), 100_000)) {
            Properties p = new Properties();
            p.setProperty("client.type", "thrift");
            p.setProperty("hosts", "h1");
            p.setProperty("hosts.h1", "127.0.0.1:" + receiver.port());
            p.setProperty("protocol", protocol);
            p.setProperty("batch-size", "1000");
            p.setProperty("request-timeout", "20000");
            RpcClient client = RpcClientFactory.getInstance(p);
            List<Map<String, String>> headers = new ArrayList<>();
            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                headers.add(Map.of());
                bodies.add(("event-" + i + "-" + "x".repeat(50)).getBytes(StandardCharsets.UTF_8));
            }
            try {
                assertThatThrownBy(() -> client.appendBatch(FlumePeers.toFlume(headers, bodies)))
                        .isInstanceOf(EventDeliveryException.class)
                        .satisfies(e -> assertThat(messages(e)).contains("over this agent's max-frame-bytes = 16384")
                                .contains("batch-size"));
                client.appendBatch(FlumePeers.toFlume(headers.subList(0, 2), bodies.subList(0, 2)));
            } finally {
                client.close();
            }
            assertThat(receiver.counter(ThriftSource.TOO_LARGE)).isEqualTo(1);
            assertThat(receiver.counter(SourceCounter.EVENT_READ_FAIL)).isZero();
            assertThat(receiver.drain()).extracting(Event::bodyAsString)
                    .containsExactly("event-0-" + "x".repeat(50), "event-1-" + "x".repeat(50));
        }
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" <- ");
        }
        return b.toString();
    }
}
