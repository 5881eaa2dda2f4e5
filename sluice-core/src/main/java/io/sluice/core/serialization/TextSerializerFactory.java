package io.sluice.core.serialization;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.List;

/**
 * Builds the {@code text} serializer (Apache Flume's {@code TEXT},
 * {@code org.apache.flume.serialization.BodyTextEventSerializer$Builder}).
 *
 * <p>Keys: {@code appendNewline} (default true).
 */
public final class TextSerializerFactory implements ComponentFactory<EventSerializer.Builder> {
    public static final ConfigKey<Boolean> APPEND_NEWLINE = ConfigKey.boolKey("appendNewline", true,
            "Write a newline after each event's body.");

    @Override
    public ComponentKind kind() {
        return ComponentKind.EVENT_SERIALIZER;
    }

    @Override
    public String alias() {
        return "text";
    }

    @Override
    public List<String> otherNames() {
        return List.of("org.apache.flume.serialization.BodyTextEventSerializer$Builder");
    }

    @Override
    public List<ConfigKey<?>> keys() {
        return List.of(APPEND_NEWLINE);
    }

    @Override
    public EventSerializer.Builder create(ComponentContext context) {
        boolean appendNewline = context.get(APPEND_NEWLINE);
        return out -> new BodyTextSerializer(out, appendNewline);
    }
}
