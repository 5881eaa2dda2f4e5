package io.sluice.core.serialization;

import io.sluice.api.config.ConfigKey;

/**
 * Builds the {@code text} serializer (Apache Flume's {@code TEXT},
 * {@code org.apache.flume.serialization.BodyTextEventSerializer$Builder}).
 *
 * <p>Keys: {@code appendNewline} (default true).
 */
public final class TextSerializerFactory extends AbstractTextSerializerFactory {
    public static final ConfigKey<Boolean> APPEND_NEWLINE = ConfigKey.boolKey("appendNewline", true,
            "Write a newline after each event's body.");

    public TextSerializerFactory() {
        super("text", "org.apache.flume.serialization.BodyTextEventSerializer$Builder", APPEND_NEWLINE,
                "Writes each event's body as is; headers are dropped.", BodyTextSerializer::new);
    }
}
