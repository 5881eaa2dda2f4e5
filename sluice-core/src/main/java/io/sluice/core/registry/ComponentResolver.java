package io.sluice.core.registry;

import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import java.util.Optional;

/**
 * The last resort of {@link ComponentRegistry#find}: resolves a class name that is neither a
 * registered type nor a class on Sluice's own class path, for example a component written
 * against Apache Flume's API and installed in a {@code plugins.d} directory. Registered through
 * {@code META-INF/services/io.sluice.core.registry.ComponentResolver}.
 *
 * <p>A resolver that recognises the name but cannot use it (the class is of another kind, or it
 * is not on any plugin path) returns a factory whose {@code create} reports that problem, so the
 * user reads why instead of "unknown type". Implementations are thread-safe.
 */
public interface ComponentResolver {

    /** A factory for {@code className} as a component of {@code kind}, or empty when this resolver has nothing to say. */
    Optional<ComponentFactory<?>> resolve(ComponentKind kind, String className);

    /**
     * A configured part that is not a component kind of its own (an HTTP source's {@code handler}),
     * named by {@code className} in the key {@code key} of the component {@code context} belongs
     * to, its own keys under {@code key + "."}, and needed as a {@code type}: created, configured
     * and adapted, or empty when this resolver does not know the class. Problems (the class is of
     * another kind, rejected its configuration) are reported on {@code key}, and then the result
     * is empty too.
     */
    default <T> Optional<T> part(Class<T> type, String className, ComponentContext context, String key) {
        return Optional.empty();
    }
}
