package io.sluice.core.registry;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.Configurable;
import io.sluice.api.config.ComponentContext;
import java.lang.reflect.InvocationTargetException;

import static java.util.Objects.requireNonNull;

/**
 * Wraps a component class named in the configuration that implements its kind's interface and
 * {@link Configurable}: creates it with its public no-arg constructor and configures it. Such a
 * class declares no keys, so none of its keys are reported as unknown. Thread-safe.
 */
final class ClassComponentFactory<T> implements ComponentFactory<T> {
    private final ComponentKind kind;
    private final Class<T> type;
    private final ComponentDescriptor descriptor;

    ClassComponentFactory(ComponentKind kind, Class<T> type) {
        this.kind = requireNonNull(kind, "kind is null");
        this.type = requireNonNull(type, "type is null");
        this.descriptor = ComponentDescriptor.builder(kind, type.getName())
                .description("The component class " + type.getName() + ", configured through Configurable.")
                .build();
    }

    @Override
    public ComponentDescriptor descriptor() {
        return descriptor;
    }

    @Override
    public T create(ComponentContext context) {
        T instance;
        try {
            instance = type.getConstructor().newInstance();
        } catch (InvocationTargetException e) {
            context.problem("could not be created: " + e.getCause(), "check the class " + type.getName()
                    + " and its dependencies on the class path");
            return null;
        } catch (ReflectiveOperationException e) {
            context.problem("could not be created: " + e, "give " + type.getName() + " a public no-arg constructor");
            return null;
        }
        try {
            ((Configurable) instance).configure(context);
        } catch (RuntimeException e) {
            context.problem("rejected its configuration: " + e.getMessage(), "fix the keys of this component");
            return null;
        }
        return instance;
    }
}
