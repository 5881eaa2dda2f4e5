package io.sluice.core.serialization;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.core.config.DefaultComponentContext;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.ServiceLoader;

/**
 * Finds the serializer factory for a configured type: a built-in alias (any case, so Apache
 * Flume's {@code TEXT}, {@code HEADER_AND_TEXT} and {@code AVRO_EVENT} work), one of Flume's
 * class names, a plugin's alias or name registered through {@code ServiceLoader}, or the fully
 * qualified name of a {@link ComponentFactory} class of kind {@code EVENT_SERIALIZER}.
 * Stateless and thread-safe.
 */
public final class EventSerializers {
    private static final List<ComponentFactory<EventSerializer.Builder>> BUILT_IN = List.of(
            new TextSerializerFactory(), new HeaderAndTextSerializerFactory(), new AvroEventSerializerFactory());

    private EventSerializers() {
    }

    /** The built-in serializer factories, for the component registry. */
    public static List<ComponentFactory<EventSerializer.Builder>> builtIn() {
        return BUILT_IN;
    }

    /** The names a user may write, for error messages. */
    public static String knownNames() {
        return "text, header_and_text, avro_event, or a class name";
    }

    /**
     * As {@link #find(String)}, then the registry of the configuration {@code context} belongs to,
     * whose resolvers know serializers installed as plugins (Apache Flume's
     * {@code EventSerializer.Builder} classes in {@code plugins.d}).
     */
    @SuppressWarnings("unchecked")
    public static Optional<ComponentFactory<EventSerializer.Builder>> find(ComponentContext context, String type) {
        Optional<ComponentFactory<EventSerializer.Builder>> own = find(type);
        if (own.isPresent()) {
            return own;
        }
        return DefaultComponentContext.registryOf(context).find(ComponentKind.EVENT_SERIALIZER, type.trim())
                .map(f -> (ComponentFactory<EventSerializer.Builder>) f);
    }

    @SuppressWarnings("unchecked")
    public static Optional<ComponentFactory<EventSerializer.Builder>> find(String type) {
        String t = type.trim();
        for (ComponentFactory<EventSerializer.Builder> f : BUILT_IN) {
            if (matches(f, t)) {
                return Optional.of(f);
            }
        }
        for (ComponentFactory<?> f : ServiceLoader.load(ComponentFactory.class)) {
            if (f.descriptor().kind() == ComponentKind.EVENT_SERIALIZER && matches(f, t)) {
                return Optional.of((ComponentFactory<EventSerializer.Builder>) f);
            }
        }
        try {
            Class<?> c = Class.forName(t, true, Thread.currentThread().getContextClassLoader());
            if (ComponentFactory.class.isAssignableFrom(c)) {
                ComponentFactory<?> f = (ComponentFactory<?>) c.getConstructor().newInstance();
                if (f.descriptor().kind() == ComponentKind.EVENT_SERIALIZER) {
                    return Optional.of((ComponentFactory<EventSerializer.Builder>) f);
                }
            }
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static boolean matches(ComponentFactory<?> f, String type) {
        ComponentDescriptor d = f.descriptor();
        if (d.alias().equalsIgnoreCase(type)) {
            return true;
        }
        String lower = type.toLowerCase(Locale.ROOT);
        for (String n : d.otherNames()) {
            if (n.equals(type) || n.toLowerCase(Locale.ROOT).equals(lower)) {
                return true;
            }
        }
        return false;
    }
}
