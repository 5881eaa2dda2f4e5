package io.sluice.api;

import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigKey;
import java.util.List;

/**
 * Creates one type of component from its configuration. Built-in factories are listed in one
 * place in sluice-core; third-party ones register through
 * {@code META-INF/services/io.sluice.api.ComponentFactory}, and a configuration may also name a
 * factory class (or a {@link Configurable} component class) by its fully qualified name.
 *
 * @param <T> the component type (Source, Channel, Sink, Interceptor, ...)
 */
public interface ComponentFactory<T> {

    /**
     * What this type is: kind, alias, other names, keys and description, declared once as a
     * constant (see {@link ComponentDescriptor}). Everything that lists, finds or validates
     * component types reads it; it must return the same value on every call.
     */
    ComponentDescriptor descriptor();

    /** Shorthand for {@code descriptor().kind()}; declare the kind in the descriptor, not here. */
    default ComponentKind kind() {
        return descriptor().kind();
    }

    /** Shorthand for {@code descriptor().alias()}: the type name used in configuration files. */
    default String alias() {
        return descriptor().alias();
    }

    /** Shorthand for {@code descriptor().otherNames()}, e.g. Apache Flume's class name for the type. */
    default List<String> otherNames() {
        return descriptor().otherNames();
    }

    /** Shorthand for {@code descriptor().keys()}: every key this type reads. */
    default List<ConfigKey<?>> keys() {
        return descriptor().keys();
    }

    /**
     * Reads and validates the configuration, then builds the component. Problems are reported to
     * {@code context}; when any was reported the result is not started and may be {@code null}.
     */
    T create(ComponentContext context);
}
