package io.sluice.core.serialization;

import io.sluice.api.config.ConfigKey;

/**
 * Builds the {@code header_and_text} serializer (Apache Flume's {@code HEADER_AND_TEXT},
 * {@code org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder}).
 *
 * <p>Keys: {@code appendNewline} (default true).
 */
public final class HeaderAndTextSerializerFactory extends AbstractTextSerializerFactory {
    public static final ConfigKey<Boolean> APPEND_NEWLINE = ConfigKey.boolKey("appendNewline", true,
            "Write a newline after each event.");

    public HeaderAndTextSerializerFactory() {
        super("header_and_text", "org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder",
                APPEND_NEWLINE, "Writes each event's headers as a map, a space, then its body.",
                HeaderAndTextSerializer::new);
    }
}
