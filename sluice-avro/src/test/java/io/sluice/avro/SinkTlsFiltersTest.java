package io.sluice.avro;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.core.config.SingleComponentConfig;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache Flume's RPC client TLS keys on the avro sink ({@code include-protocols},
 * {@code include-cipher-suites}, {@code exclude-cipher-suites}), against a real TLS avro source on
 * 127.0.0.1 that speaks only TLSv1.3: a sink limited to TLSv1.2 cannot deliver, one that allows
 * TLSv1.3 can.
 */
class SinkTlsFiltersTest {
    @TempDir
    static Path dir;
    static TestKeystores stores;

    @BeforeAll
    static void keys() throws Exception {
        stores = TestKeystores.create(dir);
    }

    private static AvroSink sink(int port, String includeProtocols) {
        SingleComponentConfig cfg = SingleComponentConfig.of(ComponentKind.SINK, "k1", "hostname", "127.0.0.1",
                "port", String.valueOf(port), "ssl", "true", "trust-all-certs", "true", "connect-timeout", "5000",
                "request-timeout", "5000", "include-protocols", includeProtocols,
                "exclude-cipher-suites", "TLS_NOT_A_REAL_SUITE");
        AvroSink sink = (AvroSink) new AvroSinkFactory().create(cfg.context());
        assertThat(cfg.problems()).isEmpty();
        assertThat(cfg.warnings()).as("every key is known").isEmpty();
        return sink;
    }

    /** One process() of a sink allowing {@code protocols}; a failed handshake rolls the batch back. */
    private static QueueChannel attempt(int port, String protocols, List<Event> events) {
        QueueChannel channel = new QueueChannel();
        channel.putAll(events);
        AvroSink sink = sink(port, protocols);
        sink.setChannel(channel);
        sink.start();
        try {
            sink.process();
        } catch (Exception handshakeFailed) {
            // asserted through what arrived and what is left in the channel
        } finally {
            sink.stop();
        }
        return channel;
    }

    @Test
    void includeProtocolsOfTheSinkDecideTheHandshake() throws Exception {
        SingleComponentConfig src = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "bind", "127.0.0.1", "port", "0",
                "ssl", "true", "keystore", stores.keystore.toString(), "keystore-password", TestKeystores.PASSWORD,
                "include-protocols", "TLSv1.3");
        AvroSource source = (AvroSource) new AvroSourceFactory().create(src.context());
        assertThat(src.problems()).isEmpty();
        CollectingProcessor processor = new CollectingProcessor();
        source.setChannelProcessor(processor);
        source.start();
        try {
            List<Event> events = Events.numbered("tls", 5);

            QueueChannel refused = attempt(source.port(), "TLSv1.2", events);
            assertThat(processor.events()).isEmpty();
            assertThat(refused.size()).isEqualTo(5);

            QueueChannel accepted = attempt(source.port(), "TLSv1.2 TLSv1.3", events);
            assertThat(processor.events()).containsExactlyElementsOf(events);
            assertThat(accepted.size()).isZero();
        } finally {
            source.stop();
        }
    }
}
