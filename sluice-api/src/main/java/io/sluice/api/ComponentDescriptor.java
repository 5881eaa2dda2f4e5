package io.sluice.api;

import io.sluice.api.config.ConfigKey;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * What a component type says about itself, declared once by its {@link ComponentFactory}: its
 * kind, the alias used in configuration files, the other names it answers to (Apache Flume's
 * class names), every key it reads, and a one-line description. The registry, the validation of
 * unknown keys ("did you mean"), {@code sluice components} and the Apache Flume plugin bridge all
 * read this one value.
 *
 * <pre>{@code
 * private static final ComponentDescriptor DESCRIPTOR = ComponentDescriptor.builder(ComponentKind.CHANNEL, "memory")
 *         .otherNames("org.apache.flume.channel.MemoryChannel")
 *         .keys(CAPACITY, TRANSACTION_CAPACITY)
 *         .description("Holds events in the heap; fast, lost on a crash.")
 *         .build();
 * }</pre>
 *
 * <p>Construction checks that the value is well formed: a non-blank alias and other names without
 * surrounding whitespace, no name given twice (ignoring case), no key name given twice. Immutable
 * and thread-safe; equal when kind, names, key names and description are equal.
 */
public final class ComponentDescriptor {
    private final ComponentKind kind;
    private final String alias;
    private final List<String> otherNames;
    private final List<ConfigKey<?>> keys;
    private final String description;

    private ComponentDescriptor(ComponentKind kind, String alias, List<String> otherNames, List<ConfigKey<?>> keys,
            String description) {
        this.kind = requireNonNull(kind, "kind is null");
        this.alias = checkName(requireNonNull(alias, "alias is null"), "alias");
        this.otherNames = List.copyOf(requireNonNull(otherNames, "otherNames is null"));
        this.keys = List.copyOf(requireNonNull(keys, "keys is null"));
        this.description = requireNonNull(description, "description is null").strip();
        Set<String> names = new HashSet<>();
        names.add(alias.toLowerCase(Locale.ROOT));
        for (String other : this.otherNames) {
            checkName(other, "other name of " + kind + " '" + alias + "'");
            if (!names.add(other.toLowerCase(Locale.ROOT))) {
                throw new IllegalArgumentException(kind + " '" + alias + "': the name '" + other
                        + "' is given twice (names are compared ignoring case); list it once");
            }
        }
        Set<String> keyNames = new HashSet<>();
        for (ConfigKey<?> k : this.keys) {
            if (!keyNames.add(k.name())) {
                throw new IllegalArgumentException(kind + " '" + alias + "': the key '" + k.name()
                        + "' is listed twice; list it once");
            }
        }
    }

    private static String checkName(String name, String what) {
        if (name.isBlank() || !name.strip().equals(name)) {
            throw new IllegalArgumentException(what + ": '" + name
                    + "' (expected: not blank, no leading or trailing whitespace)");
        }
        return name;
    }

    /** Starts a descriptor of the type {@code alias} of {@code kind}; other names, keys and description are optional. */
    public static Builder builder(ComponentKind kind, String alias) {
        return new Builder(kind, alias);
    }

    public ComponentKind kind() {
        return kind;
    }

    /** The type name used in configuration files, e.g. {@code memory}. */
    public String alias() {
        return alias;
    }

    /** Other names accepted for this type, e.g. Apache Flume's class name for it. */
    public List<String> otherNames() {
        return otherNames;
    }

    /** The alias, then the other names. */
    public List<String> names() {
        List<String> all = new ArrayList<>(otherNames.size() + 1);
        all.add(alias);
        all.addAll(otherNames);
        return List.copyOf(all);
    }

    /** Every key this type reads, in the order they are documented. */
    public List<ConfigKey<?>> keys() {
        return keys;
    }

    /** One line on what the type does; empty when none was given. */
    public String description() {
        return description;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof ComponentDescriptor)) {
            return false;
        }
        ComponentDescriptor d = (ComponentDescriptor) o;
        return kind == d.kind && alias.equals(d.alias) && otherNames.equals(d.otherNames) && keys.equals(d.keys)
                && description.equals(d.description);
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, alias, otherNames, keys, description);
    }

    @Override
    public String toString() {
        return kind.name().toLowerCase(Locale.ROOT) + " '" + alias + "'"
                + (otherNames.isEmpty() ? "" : " (also " + String.join(", ", otherNames) + ")");
    }

    /** Collects the parts of a {@link ComponentDescriptor}. Not thread-safe; {@link #build()} copies. */
    public static final class Builder {
        private final ComponentKind kind;
        private final String alias;
        private final List<String> otherNames = new ArrayList<>();
        private final List<ConfigKey<?>> keys = new ArrayList<>();
        private String description = "";

        private Builder(ComponentKind kind, String alias) {
            this.kind = requireNonNull(kind, "kind is null");
            this.alias = requireNonNull(alias, "alias is null");
        }

        /** Adds names this type also answers to, e.g. Apache Flume's class name. */
        public Builder otherNames(String... names) {
            for (String n : requireNonNull(names, "names is null")) {
                otherNames.add(requireNonNull(n, "other name is null"));
            }
            return this;
        }

        /** Adds keys, after those added before. */
        public Builder keys(ConfigKey<?>... more) {
            return keys(Arrays.asList(requireNonNull(more, "keys is null")));
        }

        /** Adds keys, after those added before. */
        public Builder keys(Collection<? extends ConfigKey<?>> more) {
            for (ConfigKey<?> k : requireNonNull(more, "keys is null")) {
                keys.add(requireNonNull(k, "key is null"));
            }
            return this;
        }

        public Builder description(String text) {
            this.description = requireNonNull(text, "description is null");
            return this;
        }

        public ComponentDescriptor build() {
            return new ComponentDescriptor(kind, alias, otherNames, keys, description);
        }
    }
}
