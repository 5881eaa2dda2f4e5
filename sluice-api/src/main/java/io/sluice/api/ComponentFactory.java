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

    ComponentKind kind();

    /** The type name used in configuration files, e.g. {@code memory}. */
    String alias();

    /** Other names accepted for this type, e.g. Apache Flume's class name for it. */
    default List<String> otherNames() {
        return List.of();
    }

    /** Every key this type reads, so unknown keys can be reported with a suggestion. */
    List<ConfigKey<?>> keys();

    /**
     * Reads and validates the configuration, then builds the component. Problems are reported to
     * {@code context}; when any was reported the result is not started and may be {@code null}.
     */
    T create(ComponentContext context);
}
