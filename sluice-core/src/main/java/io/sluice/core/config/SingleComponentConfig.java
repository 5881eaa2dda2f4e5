package io.sluice.core.config;

import io.sluice.api.ComponentKind;
import io.sluice.api.config.ComponentContext;
import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.core.registry.ComponentRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static java.util.Objects.requireNonNull;

/**
 * The configuration of one component outside a whole agent file: its relative keys are placed
 * under {@code <agent>.<kind word>.<name>.} (interceptors under
 * {@code <agent>.sources.r1.interceptors.<name>.}) and read through the agent's own
 * {@link ConfigSession}, so substitution, parsing and problem messages are exactly those a user
 * sees when the same keys are in a file. Used to build a source for an rtsql {@code FROM SOURCE}
 * stream, and by tests of single components.
 *
 * <p>Not thread-safe: build one component with it on one thread.
 */
public final class SingleComponentConfig {
    private final ConfigSession session;
    private final DefaultComponentContext context;

    private SingleComponentConfig(ConfigSession session, DefaultComponentContext context) {
        this.session = session;
        this.context = context;
    }

    /** Agent {@code a1}, a new temporary data directory, the system clock and the standard registry. */
    public static SingleComponentConfig of(ComponentKind kind, String name, Map<String, String> relativeKeys) {
        return builder(kind, name).keys(relativeKeys).build();
    }

    /** Like {@link #of(ComponentKind, String, Map)} with keys and values given in pairs. */
    public static SingleComponentConfig of(ComponentKind kind, String name, String... keysAndValues) {
        return builder(kind, name).keys(keysAndValues).build();
    }

    public static Builder builder(ComponentKind kind, String name) {
        return new Builder(kind, name);
    }

    public ComponentContext context() {
        return context;
    }

    /** The session behind the context: which keys were read, every problem and warning. */
    public ConfigSession session() {
        return session;
    }

    /** The key prefix the component's keys were placed under, with its trailing dot. */
    public String keyPrefix() {
        return context.keyPrefix();
    }

    public List<ConfigProblem> problems() {
        return session.problems();
    }

    public List<String> warnings() {
        return session.warnings();
    }

    public CounterRegistry counters() {
        return session.counters();
    }

    /** Collects the settings of a {@link SingleComponentConfig}. Not thread-safe. */
    public static final class Builder {
        private final ComponentKind kind;
        private final String name;
        private final Map<String, String> keys = new LinkedHashMap<>();
        private String agentName = "a1";
        private String origin = "test";
        private Path agentDataDirectory;
        private Clock clock = Clock.systemUTC();
        private ComponentRegistry registry;
        private CounterRegistry counters;

        private Builder(ComponentKind kind, String name) {
            this.kind = requireNonNull(kind, "kind is null");
            this.name = requireNonNull(name, "name is null");
        }

        public Builder keys(Map<String, String> relativeKeys) {
            keys.putAll(relativeKeys);
            return this;
        }

        public Builder keys(String... keysAndValues) {
            if (keysAndValues.length % 2 != 0) {
                throw new IllegalArgumentException("keysAndValues: " + keysAndValues.length
                        + " strings (expected: key, value pairs)");
            }
            for (int i = 0; i < keysAndValues.length; i += 2) {
                keys.put(keysAndValues[i], keysAndValues[i + 1]);
            }
            return this;
        }

        public Builder agentName(String agent) {
            this.agentName = requireNonNull(agent, "agent is null");
            return this;
        }

        /** Where the configuration came from, as problem reports name it (default {@code test}). */
        public Builder origin(String text) {
            this.origin = requireNonNull(text, "text is null");
            return this;
        }

        /** The agent's data directory; the component's is {@code <it>/<kind word>/<name>}. */
        public Builder agentDataDirectory(Path dir) {
            this.agentDataDirectory = requireNonNull(dir, "dir is null");
            return this;
        }

        public Builder clock(Clock c) {
            this.clock = requireNonNull(c, "clock is null");
            return this;
        }

        public Builder registry(ComponentRegistry r) {
            this.registry = requireNonNull(r, "registry is null");
            return this;
        }

        public Builder counters(CounterRegistry c) {
            this.counters = requireNonNull(c, "counters is null");
            return this;
        }

        public SingleComponentConfig build() {
            String prefix = kind == ComponentKind.INTERCEPTOR
                    ? agentName + ".sources.r1.interceptors." + name + "."
                    : agentName + "." + kind.configWord() + "." + name + ".";
            Map<String, String> all = new LinkedHashMap<>();
            all.put(agentName + ".sources", "r1");
            keys.forEach((k, v) -> all.put(prefix + k, v));
            AgentProperties props = AgentProperties.fromMap(agentName, all, Map.of(), origin);
            Path data = agentDataDirectory;
            if (data == null) {
                try {
                    data = Files.createTempDirectory("sluice-component");
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot create a temporary data directory", e);
                }
            }
            ConfigSession session = new ConfigSession(props,
                    registry == null ? ComponentRegistry.standard() : registry, clock,
                    counters == null ? new CounterRegistry() : counters, data);
            return new SingleComponentConfig(session, new DefaultComponentContext(session, kind, name, prefix));
        }
    }
}
