package io.sluice.core.agent;

import io.sluice.core.config.source.ConfigSource;
import io.sluice.core.config.source.FileConfigSource;
import io.sluice.core.runner.Backoff;
import io.sluice.core.tap.TapRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import static java.util.Objects.requireNonNull;

/**
 * What to run: an agent name and either configuration sources (a file, or several files, URLs and
 * ZooKeeper nodes merged in order; with {@code -Dk=v} overrides, which act as system properties for
 * {@code ${sys:k}}) or a map of properties for an embedded agent, a
 * data directory for components that keep state, and runtime settings (drain timeout, runner
 * backoff, clock). Immutable; the {@code with...} methods return changed copies.
 */
public final class AgentSpec {
    /** How long sinks may drain the channels after the sources stopped: 5 s. */
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

    private final String agentName;
    private final Path configFile;
    private final List<ConfigSource> sources;
    private final Map<String, String> properties;
    private final Map<String, String> overrides;
    private final Path dataDirectory;
    private final Duration drainTimeout;
    private final Backoff backoff;
    private final Clock clock;
    private final TapRegistry taps;

    public AgentSpec(String agentName, Path configFile, Map<String, String> overrides, Path dataDirectory) {
        this(agentName, requireNonNull(configFile, "configFile is null"),
                List.of(new FileConfigSource(configFile)), null, overrides, dataDirectory,
                DEFAULT_DRAIN_TIMEOUT, Backoff.FLUME_DEFAULT, Clock.systemUTC(), new TapRegistry());
    }

    private AgentSpec(String agentName, Path configFile, List<ConfigSource> sources, Map<String, String> properties,
            Map<String, String> overrides, Path dataDirectory, Duration drainTimeout, Backoff backoff, Clock clock,
            TapRegistry taps) {
        this.agentName = requireNonNull(agentName, "agentName is null");
        if (agentName.isBlank()) {
            throw new IllegalArgumentException("agentName is blank: pass the agent's name, e.g. -n a1");
        }
        this.configFile = configFile;
        this.sources = List.copyOf(requireNonNull(sources, "sources is null"));
        this.properties = properties == null ? null : Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        this.overrides = Collections.unmodifiableMap(new LinkedHashMap<>(
                requireNonNull(overrides, "overrides is null")));
        this.dataDirectory = requireNonNull(dataDirectory, "dataDirectory is null");
        this.drainTimeout = requireNonNull(drainTimeout, "drainTimeout is null");
        this.backoff = requireNonNull(backoff, "backoff is null");
        this.clock = requireNonNull(clock, "clock is null");
        this.taps = requireNonNull(taps, "taps is null");
    }

    /** An embedded agent from properties in memory (full keys, e.g. {@code a1.sources = r1}). */
    public static AgentSpec fromProperties(String agentName, Map<String, String> properties, Path dataDirectory) {
        return new AgentSpec(agentName, null, List.of(), requireNonNull(properties, "properties is null"), Map.of(),
                dataDirectory, DEFAULT_DRAIN_TIMEOUT, Backoff.FLUME_DEFAULT, Clock.systemUTC(), new TapRegistry());
    }

    /**
     * An agent whose configuration is read from {@code sources} and merged in order, later keys
     * overriding earlier ones (several {@code --conf-file} / {@code --conf-uri} options, ZooKeeper).
     * The agent's supervisor closes the sources when it is closed.
     */
    public static AgentSpec fromSources(String agentName, List<? extends ConfigSource> sources,
            Map<String, String> overrides, Path dataDirectory) {
        if (requireNonNull(sources, "sources is null").isEmpty()) {
            throw new IllegalArgumentException("sources is empty: give at least one configuration source");
        }
        Path single = sources.size() == 1 && sources.get(0) instanceof FileConfigSource f ? f.file() : null;
        return new AgentSpec(agentName, single, List.copyOf(sources), null, overrides, dataDirectory,
                DEFAULT_DRAIN_TIMEOUT, Backoff.FLUME_DEFAULT, Clock.systemUTC(), new TapRegistry());
    }

    public String agentName() {
        return agentName;
    }

    /** The configuration file when the configuration is exactly one file. */
    public Optional<Path> configFile() {
        return Optional.ofNullable(configFile);
    }

    /** Where the configuration is read from, in merge order; empty for an embedded agent. */
    public List<ConfigSource> sources() {
        return sources;
    }

    /** The in-memory properties of an embedded agent, empty for a file-based one. */
    public Optional<Map<String, String>> properties() {
        return Optional.ofNullable(properties);
    }

    public Map<String, String> overrides() {
        return overrides;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    public Duration drainTimeout() {
        return drainTimeout;
    }

    public Backoff backoff() {
        return backoff;
    }

    public Clock clock() {
        return clock;
    }

    /**
     * The agent's tap points. Every agent built from this spec (and from its reloaded versions)
     * publishes to them, so a tap open on a component stays open when a reload rebuilds it.
     */
    public TapRegistry taps() {
        return taps;
    }

    /** Where the configuration comes from, for messages. */
    public String origin() {
        if (sources.isEmpty()) {
            return "embedded properties";
        }
        return String.join(" + ", sources.stream().map(ConfigSource::describe).toList());
    }

    /** The same settings, but the given properties instead of the file (the last good configuration on reload). */
    AgentSpec withEmbeddedProperties(Map<String, String> newProperties) {
        return new AgentSpec(agentName, null, List.of(), newProperties, overrides, dataDirectory, drainTimeout, backoff, clock, taps);
    }

    public AgentSpec withOverrides(Map<String, String> newOverrides) {
        return new AgentSpec(agentName, configFile, sources, properties, newOverrides, dataDirectory, drainTimeout, backoff, clock, taps);
    }

    public AgentSpec withDrainTimeout(Duration timeout) {
        return new AgentSpec(agentName, configFile, sources, properties, overrides, dataDirectory, timeout, backoff, clock, taps);
    }

    /** Runner backoff after BACKOFF / errors; Apache Flume's is 1 s increments up to 5 s. */
    public AgentSpec withBackoff(Backoff newBackoff) {
        return new AgentSpec(agentName, configFile, sources, properties, overrides, dataDirectory, drainTimeout, newBackoff, clock, taps);
    }

    /** The clock components read (failover penalties, load-balance backoff, ...). */
    public AgentSpec withClock(Clock newClock) {
        return new AgentSpec(agentName, configFile, sources, properties, overrides, dataDirectory, drainTimeout, backoff, newClock, taps);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof AgentSpec)) {
            return false;
        }
        AgentSpec s = (AgentSpec) o;
        return agentName.equals(s.agentName) && Objects.equals(configFile, s.configFile) && sources.equals(s.sources)
                && Objects.equals(properties, s.properties) && overrides.equals(s.overrides)
                && dataDirectory.equals(s.dataDirectory) && drainTimeout.equals(s.drainTimeout);
    }

    @Override
    public int hashCode() {
        return Objects.hash(agentName, configFile, sources, properties, overrides, dataDirectory, drainTimeout);
    }

    @Override
    public String toString() {
        return "AgentSpec{agent=" + agentName + ", from=" + origin() + ", data=" + dataDirectory + "}";
    }
}
