package io.sluice.thrift;

import io.sluice.api.ChannelProcessor;
import io.sluice.api.Event;
import io.sluice.api.metrics.SourceCounter;
import io.sluice.avro.AvroSource;
import io.sluice.avro.AvroSourceConfig;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.flume.EventDeliveryException;
import org.apache.flume.api.RpcClient;
import org.apache.flume.api.RpcClientFactory;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What Apache Flume 1.11's real avro client (the one its avro sink uses, from Flume's own jars,
 * which this module's tests hold) sees when its request is over a Sluice avro source's
 * {@code max-frame-bytes} after its handshake: an error naming both sizes and what to change
 * instead of a closed connection. (A first request, which carries the handshake, over the limit
 * still closes the connection: it cannot be answered without reading it.)
 */
class FlumeAvroClientOversizeTest {

    @Test
    void flumesAvroClientIsToldItsRequestIsOverMaxFrameBytes() throws Exception {
        List<String> received = new ArrayList<>();
        AvroSource source = new AvroSource("r1", "a2.sources.r1",
                AvroSourceConfig.plain("127.0.0.1", 0).withLimits(16 * 1024, 10_000), new SourceCounter("r1"));
        source.setChannelProcessor(new ChannelProcessor() {
            @Override
            public void processEvent(Event event) {
                processEventBatch(List.of(event));
            }

            @Override
            public synchronized void processEventBatch(List<Event> events) {
                events.forEach(e -> received.add(e.bodyAsString()));
            }
        });
        source.start();
        Properties p = new Properties();
        p.setProperty("hosts", "h1");
        p.setProperty("hosts.h1", "127.0.0.1:" + source.port());
        p.setProperty("batch-size", "1000");
        RpcClient client = RpcClientFactory.getInstance(p);
        try {
            List<Map<String, String>> headers = new ArrayList<>();
            List<byte[]> bodies = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                headers.add(Map.of());
                bodies.add(("event-" + i + "-" + "x".repeat(50)).getBytes(StandardCharsets.UTF_8));
            }
            // the first request carries the client's handshake; one over the limit then closes the connection
            client.appendBatch(FlumePeers.toFlume(headers.subList(0, 1), bodies.subList(0, 1)));
            assertThatThrownBy(() -> client.appendBatch(FlumePeers.toFlume(headers, bodies))).isInstanceOf(EventDeliveryException.class)
                    .satisfies(e -> assertThat(messages(e)).contains("over this agent's max-frame-bytes = 16384")
                            .contains("batch-size"));
            assertThat(source.counter().get(AvroSource.TOO_LARGE)).isEqualTo(1);
            assertThat(source.counter().get(SourceCounter.EVENT_READ_FAIL)).isZero();
        } finally {
            client.close();
            source.stop();
        }
        assertThat(received).containsExactly("event-0-" + "x".repeat(50));
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" <- ");
        }
        return b.toString();
    }
}
