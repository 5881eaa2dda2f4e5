package io.sluice.sql.kafka;

import io.sluice.sql.EventSourceProvider;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.KafkaException;

/**
 * Serves rtsql's {@code FROM KAFKA TOPIC 't' PROPERTIES (...)} streams: checks the properties when
 * the stream is declared ({@link KafkaStreamConfig}) and runs a {@link KafkaStreamReader} while a
 * flow reads the stream. Found through {@link java.util.ServiceLoader}. Thread-safe and stateless.
 */
public final class KafkaStreamProvider implements EventSourceProvider {
    static final String KIND = "KAFKA";

    @Override
    public boolean supports(String kind, String target) {
        return KIND.equals(kind);
    }

    @Override
    public List<String> check(String kind, String target, Map<String, String> properties) {
        return KafkaStreamConfig.check(target, properties);
    }

    @Override
    public AutoCloseable open(String kind, String target, Map<String, String> properties, EventSink sink) {
        KafkaStreamConfig config = KafkaStreamConfig.parse(target, properties);
        KafkaStreamReader reader;
        try {
            reader = new KafkaStreamReader(config, sink);
        } catch (KafkaException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IllegalArgumentException("KAFKA TOPIC '" + target + "': the Kafka consumer refused its settings: "
                    + cause.getMessage(), e);
        }
        reader.start();
        return reader;
    }
}
