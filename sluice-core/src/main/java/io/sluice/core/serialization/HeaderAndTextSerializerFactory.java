package io.sluice.core.serialization;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.List;

/**
 * Builds the {@code header_and_text} serializer (Apache Flume's {@code HEADER_AND_TEXT},
 * {@code org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder}).
 *
 * <p>Keys: {@code appendNewline} (default true).
 */
public final class HeaderAndTextSerializerFactory implements ComponentFactory<EventSerializer.Builder> {
    public static final ConfigKey<Boolean> APPEND_NEWLINE = ConfigKey.boolKey("appendNewline", true,
            "Write a newline after each event.");

    @Override
    public ComponentKind kind() {
        return ComponentKind.EVENT_SERIALIZER;
    }

    @Override
    public String alias() {
        return "header_and_text";
    }

    @Override
    public List<String> otherNames() {
        return List.of("org.apache.flume.serialization.HeaderAndBodyTextEventSerializer$Builder");
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(APPEND_NEWLINE);
    }

    @Override
    public EventSerializer.Builder create(ComponentContext context) {
        boolean appendNewline = context.get(APPEND_NEWLINE);
        return out -> new HeaderAndTextSerializer(out, appendNewline);
    }
}
