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
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * What Apache Flume 1.11's real avro client (the one its avro sink uses, from Flume's own jars,
 * which this module's tests hold) sees when its request is over a Sluice avro source's
 * {@code max-frame-bytes}: an error naming both sizes and what to change instead of a closed
 * connection, also for its first request, which carries its handshake.
 */
class FlumeAvroClientOversizeTest {
    private final List<String> received = new ArrayList<>();
    private final List<Map<String, String>> headers = new ArrayList<>();
    private final List<byte[]> bodies = new ArrayList<>();
    private AvroSource source;
    private RpcClient client;

    @BeforeEach
    void start() {
        source = new AvroSource("r1", "a2.sources.r1",
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
        client = RpcClientFactory.getInstance(p);
        for (int i = 0; i < 1000; i++) { // about 60 KiB: over the 16 KiB limit
            headers.add(Map.of());
            bodies.add(body(i).getBytes(StandardCharsets.UTF_8));
        }
    }

    @AfterEach
    void stop() {
        client.close();
        source.stop();
    }

    private static String body(int i) {
        return "event-" + i + "-" + "x".repeat(50);
    }

    private void sendIsRefusedNamingTheLimit(int events) {
        assertThatThrownBy(() -> client.appendBatch(FlumePeers.toFlume(headers.subList(0, events),
                bodies.subList(0, events)))).isInstanceOf(EventDeliveryException.class)
                .satisfies(e -> assertThat(messages(e)).contains("over this agent's max-frame-bytes = 16384")
                        .contains("batch-size"));
    }

    private void send(int from, int to) throws EventDeliveryException {
        client.appendBatch(FlumePeers.toFlume(headers.subList(from, to), bodies.subList(from, to)));
    }

    @Test
    void flumesAvroClientIsToldItsRequestIsOverMaxFrameBytes() throws Exception {
        send(0, 1);
        sendIsRefusedNamingTheLimit(1000);
        assertThat(source.counter().get(AvroSource.TOO_LARGE)).isEqualTo(1);
        assertThat(source.counter().get(SourceCounter.EVENT_READ_FAIL)).isZero();
        assertThat(received).containsExactly(body(0));
    }

    @Test
    void flumesAvroClientsFirstRequestOverTheLimitGetsTheHandshakeAndTheErrorAndItsConnectionStaysOpen() {
        sendIsRefusedNamingTheLimit(1000); // the client's very first request: it carries its handshake
        assertThat(source.counter().get(AvroSource.TOO_LARGE)).isEqualTo(1);
        assertThat(source.counter().get(SourceCounter.EVENT_READ_FAIL)).isZero();
        // Flume's client stops using itself after any failed call, but the source did not close on it
        assertThat(source.counter().get(SourceCounter.OPEN_CONNECTIONS)).isEqualTo(1);
        assertThat(received).isEmpty();
    }

    private static String messages(Throwable t) {
        StringBuilder b = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            b.append(c).append(" <- ");
        }
        return b.toString();
    }
}
