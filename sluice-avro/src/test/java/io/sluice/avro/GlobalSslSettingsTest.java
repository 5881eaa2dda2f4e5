package io.sluice.avro;

import io.sluice.api.ComponentKind;
import io.sluice.api.Event;
import io.sluice.api.config.GlobalSsl;
import io.sluice.core.config.SingleComponentConfig;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Apache Flume's global TLS settings ({@code -Djavax.net.ssl.keyStore}, ..., {@code flume.ssl.*})
 * stand in for the avro source's and sink's unset TLS keys, as in Flume: a source with only
 * {@code ssl = true} serves TLS with the global key store and protocols, and a sink with only
 * {@code ssl = true} verifies it with the global trust store. Real TLS on 127.0.0.1.
 */
class GlobalSslSettingsTest {
    @TempDir
    static Path dir;
    static TestKeystores stores;
    private final Map<String, String> saved = new LinkedHashMap<>();

    @BeforeAll
    static void keys() throws Exception {
        stores = TestKeystores.create(dir);
    }

    private void set(String name, String value) {
        saved.putIfAbsent(name, System.getProperty(name));
        System.setProperty(name, value);
    }

    @AfterEach
    void restore() {
        saved.forEach((k, v) -> {
            if (v == null) {
                System.clearProperty(k);
            } else {
                System.setProperty(k, v);
            }
        });
    }

    private static QueueChannel attempt(int port, List<Event> events, String... extraKeys) {
        List<String> keys = new ArrayList<>(List.of("hostname", "127.0.0.1", "port", String.valueOf(port),
                "ssl", "true", "connect-timeout", "5000", "request-timeout", "5000"));
        keys.addAll(List.of(extraKeys));
        SingleComponentConfig cfg = SingleComponentConfig.of(ComponentKind.SINK, "k1", keys.toArray(new String[0]));
        AvroSink sink = (AvroSink) new AvroSinkFactory().create(cfg.context());
        assertThat(cfg.problems()).isEmpty();
        QueueChannel channel = new QueueChannel();
        channel.putAll(events);
        sink.setChannel(channel);
        sink.start();
        try {
            sink.process();
        } catch (Exception refused) {
            // asserted through what arrived and what is left in the channel
        } finally {
            sink.stop();
        }
        return channel;
    }

    @Test
    void unsetTlsKeysOfSourceAndSinkComeFromTheGlobalSettings() throws Exception {
        set(GlobalSsl.KEYSTORE, stores.keystore.toString());
        set(GlobalSsl.KEYSTORE_PASSWORD, TestKeystores.PASSWORD);
        set(GlobalSsl.TRUSTSTORE, stores.truststore.toString());
        set(GlobalSsl.TRUSTSTORE_PASSWORD, TestKeystores.PASSWORD);
        set(GlobalSsl.INCLUDE_PROTOCOLS, "TLSv1.3");
        SingleComponentConfig src = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "bind", "127.0.0.1",
                "port", "0", "ssl", "true");
        AvroSource source = (AvroSource) new AvroSourceFactory().create(src.context());
        assertThat(src.problems()).as("keystore and keystore-password come from javax.net.ssl.*").isEmpty();
        CollectingProcessor processor = new CollectingProcessor();
        source.setChannelProcessor(processor);
        source.start();
        try {
            List<Event> events = Events.numbered("global", 5);

            // the sink's own key wins over the global one: TLSv1.2 only, which the source refuses
            QueueChannel refused = attempt(source.port(), events, "include-protocols", "TLSv1.2");
            assertThat(processor.events()).isEmpty();
            assertThat(refused.size()).isEqualTo(5);

            // no truststore key and no trust-all-certs: the global trust store verifies the source
            QueueChannel delivered = attempt(source.port(), events);
            assertThat(processor.events()).containsExactlyElementsOf(events);
            assertThat(delivered.size()).isZero();
        } finally {
            source.stop();
        }
    }

    @Test
    void withoutAKeystoreAnywhereTheProblemNamesTheGlobalSettingsToo() {
        SingleComponentConfig src = SingleComponentConfig.of(ComponentKind.SOURCE, "r1", "bind", "127.0.0.1",
                "port", "0", "ssl", "true");
        assertThat(new AvroSourceFactory().create(src.context())).isNull();
        assertThat(src.problems()).extracting(Object::toString).anySatisfy(p -> assertThat(p)
                .contains("a1.sources.r1.keystore").contains("javax.net.ssl.keyStore")
                .contains("FLUME_SSL_KEYSTORE_PATH"));
    }
}
