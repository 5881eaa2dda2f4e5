package io.sluice.core.serialization;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.io.OutputStream;

import static java.util.Objects.requireNonNull;

/**
 * What the text serializer factories share: kind {@code EVENT_SERIALIZER}, one alias, one Apache
 * Flume class name, and the single key {@code appendNewline}. Immutable and thread-safe.
 */
abstract class AbstractTextSerializerFactory implements ComponentFactory<EventSerializer.Builder> {
    /** Makes a serializer on {@code out}. */
    @FunctionalInterface
    interface Maker {
        EventSerializer make(OutputStream out, boolean appendNewline);
    }

    private final ComponentDescriptor descriptor;
    private final ConfigKey<Boolean> appendNewline;
    private final Maker maker;

    AbstractTextSerializerFactory(String alias, String flumeName, ConfigKey<Boolean> appendNewline, String description,
            Maker maker) {
        this.appendNewline = requireNonNull(appendNewline, "appendNewline is null");
        this.descriptor = ComponentDescriptor.builder(ComponentKind.EVENT_SERIALIZER, alias)
                .otherNames(flumeName)
                .keys(appendNewline)
                .description(description)
                .build();
        this.maker = requireNonNull(maker, "maker is null");
    }

    @Override
    public final ComponentDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public final EventSerializer.Builder create(ComponentContext context) {
        boolean newline = context.get(appendNewline);
        return out -> maker.make(out, newline);
    }
}
