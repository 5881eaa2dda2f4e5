package io.sluice.core.serialization;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.io.OutputStream;
import java.util.List;

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

    private final String alias;
    private final String flumeName;
    private final ConfigKey<Boolean> appendNewline;
    private final Maker maker;

    AbstractTextSerializerFactory(String alias, String flumeName, ConfigKey<Boolean> appendNewline, Maker maker) {
        this.alias = requireNonNull(alias, "alias is null");
        this.flumeName = requireNonNull(flumeName, "flumeName is null");
        this.appendNewline = requireNonNull(appendNewline, "appendNewline is null");
        this.maker = requireNonNull(maker, "maker is null");
    }

    @Override
    public final ComponentKind kind() {
        return ComponentKind.EVENT_SERIALIZER;
    }

    @Override
    public final String alias() {
        return alias;
    }

    @Override
    public final List<String> otherNames() {
        return List.of(flumeName);
    }

    @Override
    public final List<ConfigKey<?>> keys() {
        return List.of(appendNewline);
    }

    @Override
    public final EventSerializer.Builder create(ComponentContext context) {
        boolean newline = context.get(appendNewline);
        return out -> maker.make(out, newline);
    }
}
