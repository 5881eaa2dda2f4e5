package io.sluice.core.registry;

import io.sluice.api.ComponentDescriptor;
import io.sluice.api.ComponentFactory;
import io.sluice.api.ComponentKind;
import io.sluice.api.config.ConfigKey;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * Checks that a set of factories describe themselves well enough to be registered side by side:
 * each gives a descriptor, the same one on every call; no name (alias or other name, ignoring
 * case) is claimed by two factories of one kind, which would make one of them unreachable; every
 * key has a description for {@code sluice components} and {@code docs/components.md}. One
 * descriptor on its own is checked when it is built (see {@link ComponentDescriptor}). Stateless.
 */
public final class ComponentDescriptors {
    private ComponentDescriptors() {
    }

    /** Every problem found, one sentence each naming the factory class and the fix; empty when none. */
    public static List<String> problems(Collection<? extends ComponentFactory<?>> factories) {
        requireNonNull(factories, "factories is null");
        List<String> problems = new ArrayList<>();
        Map<ComponentKind, Map<String, ComponentFactory<?>>> owners = new EnumMap<>(ComponentKind.class);
        for (ComponentFactory<?> f : factories) {
            String who = f.getClass().getName();
            ComponentDescriptor d = f.descriptor();
            if (d == null) {
                problems.add(who + ": descriptor() returned null; return a ComponentDescriptor constant");
                continue;
            }
            if (!d.equals(f.descriptor())) {
                problems.add(who + ": descriptor() returned two different values; build it once and keep it");
            }
            Map<String, ComponentFactory<?>> names = owners.computeIfAbsent(d.kind(), k -> new HashMap<>());
            for (String name : d.names()) {
                ComponentFactory<?> owner = names.putIfAbsent(name.toLowerCase(Locale.ROOT), f);
                if (owner != null && owner != f) {
                    problems.add(who + ": " + d.kind().name().toLowerCase(Locale.ROOT) + " name '" + name
                            + "' is already claimed by " + owner.getClass().getName() + " ('" + owner.descriptor().alias()
                            + "'); give one of them another name");
                }
            }
            for (ConfigKey<?> k : d.keys()) {
                if (k.doc() == null || k.doc().isBlank()) {
                    problems.add(who + ": key '" + k.name() + "' of " + d + " has no description; "
                            + "say what it does where the key is defined");
                }
            }
        }
        return problems;
    }
}
