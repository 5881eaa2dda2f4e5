package io.sluice.core.config;

import io.sluice.api.config.ConfigProblem;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.core.registry.ComponentRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The shared state of one attempt to build an agent: the agent's keys, every problem and warning
 * found so far, which keys some component has read, and the services contexts hand out (clock,
 * counters, data directory, registry). Not thread-safe: one thread builds an agent.
 */
public final class ConfigSession {
    private final AgentProperties properties;
    private final ComponentRegistry registry;
    private final Clock clock;
    private final CounterRegistry counters;
    private final Path dataDirectory;
    private final List<ConfigProblem> problems = new ArrayList<>();
    private final List<String> warnings = new ArrayList<>();
    private final Set<String> readKeys = new HashSet<>();
    private final Set<String> readPrefixes = new HashSet<>();
    private final Map<String, List<String>> knownKeysByPrefix = new LinkedHashMap<>();

    public ConfigSession(AgentProperties properties, ComponentRegistry registry, Clock clock,
            CounterRegistry counters, Path dataDirectory) {
        this.properties = requireNonNull(properties, "properties is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.counters = requireNonNull(counters, "counters is null");
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        problems.addAll(properties.problems());
        warnings.addAll(properties.warnings());
    }

    public AgentProperties properties() {
        return properties;
    }

    public String agentName() {
        return properties.agentName();
    }

    public ComponentRegistry registry() {
        return registry;
    }

    public Clock clock() {
        return clock;
    }

    public CounterRegistry counters() {
        return counters;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public void problem(ConfigProblem p) {
        if (!problems.contains(p)) {
            problems.add(p);
        }
    }

    public void problem(String fullKey, String value, String rule, String fix) {
        problem(new ConfigProblem(fullKey, value, rule, fix));
    }

    public void warn(String message) {
        if (!warnings.contains(message)) {
            warnings.add(message);
        }
    }

    public List<ConfigProblem> problems() {
        return List.copyOf(problems);
    }

    public List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Marks a full key as read by some component. */
    public void markRead(String fullKey) {
        readKeys.add(fullKey);
    }

    /** Marks every key under a full prefix as read. */
    public void markPrefixRead(String fullPrefix) {
        readPrefixes.add(fullPrefix);
    }

    /** Records the keys a component type knows, for "did you mean" on unread keys under its prefix. */
    public void knownKeys(String fullPrefix, List<String> relativeNames) {
        knownKeysByPrefix.merge(fullPrefix, new ArrayList<>(relativeNames), (a, b) -> {
            a.addAll(b);
            return a;
        });
    }

    public boolean isRead(String fullKey) {
        if (readKeys.contains(fullKey)) {
            return true;
        }
        for (String p : readPrefixes) {
            if (fullKey.startsWith(p)) {
                return true;
            }
        }
        return false;
    }

    /** The prefix with known keys that owns {@code fullKey} (the longest one), or null. */
    public String owningPrefix(String fullKey) {
        String best = null;
        for (String p : knownKeysByPrefix.keySet()) {
            if (fullKey.startsWith(p) && (best == null || p.length() > best.length())) {
                best = p;
            }
        }
        return best;
    }

    public List<String> knownKeysOf(String fullPrefix) {
        return knownKeysByPrefix.getOrDefault(fullPrefix, List.of());
    }
}
