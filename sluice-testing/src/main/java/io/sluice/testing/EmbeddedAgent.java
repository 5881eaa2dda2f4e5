package io.sluice.testing;

import io.sluice.api.metrics.CounterGroup;
import io.sluice.core.agent.Agent;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.InvalidConfigurationException;
import io.sluice.core.config.OrderedProperties;
import io.sluice.core.runner.Backoff;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.awaitility.Awaitility;

import static java.util.Objects.requireNonNull;

/**
 * An {@link Agent} built from properties in memory, running in a temporary data directory that is
 * deleted on {@link #close()}. Runners back off quickly (10 ms steps up to 100 ms) so tests do not
 * wait for Apache Flume's 1-5 s backoff. Thread-safe like {@link Agent}.
 */
public final class EmbeddedAgent implements AutoCloseable {
    private final Agent agent;
    private final Path dataDirectory;

    private EmbeddedAgent(Agent agent, Path dataDirectory) {
        this.agent = agent;
        this.dataDirectory = dataDirectory;
    }

    /** Parses properties text ({@code a1.sources = r1} lines) into an ordered map. */
    public static Map<String, String> properties(String text) {
        return OrderedProperties.parse(text);
    }

    /** A spec for an embedded agent in a new temporary directory, with fast test backoff. */
    public static AgentSpec spec(String agentName, Map<String, String> properties) {
        try {
            Path dir = Files.createTempDirectory("sluice-" + agentName + "-");
            return AgentSpec.fromProperties(agentName, properties, dir)
                    .withBackoff(new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary data directory", e);
        }
    }

    /** Builds and starts an agent from properties text. */
    public static EmbeddedAgent start(String agentName, String propertiesText) throws InvalidConfigurationException {
        return start(spec(agentName, properties(propertiesText)));
    }

    public static EmbeddedAgent start(String agentName, Map<String, String> properties)
            throws InvalidConfigurationException {
        return start(spec(agentName, properties));
    }

    /**
     * Builds and starts an agent from a spec; its data directory is deleted on close, or at once
     * when the configuration is refused or the agent fails to start.
     */
    public static EmbeddedAgent start(AgentSpec spec) throws InvalidConfigurationException {
        Agent a;
        try {
            a = Agent.create(spec);
        } catch (InvalidConfigurationException | RuntimeException e) {
            deleteRecursively(spec.dataDirectory());
            throw e;
        }
        try {
            a.start();
        } catch (RuntimeException e) {
            try {
                a.stop();
            } finally {
                deleteRecursively(spec.dataDirectory());
            }
            throw e;
        }
        return new EmbeddedAgent(a, spec.dataDirectory());
    }

    public Agent agent() {
        return agent;
    }

    public Path dataDirectory() {
        return dataDirectory;
    }

    /** The sink named {@code name}, as {@code type}. */
    public <T> T sink(String name, Class<T> type) {
        return type.cast(requireNonNull(agent.sinks().get(name), () -> "no sink " + name));
    }

    /** The source named {@code name}, as {@code type}. */
    public <T> T source(String name, Class<T> type) {
        return type.cast(requireNonNull(agent.sources().get(name), () -> "no source " + name));
    }

    /** A counter's value now, e.g. {@code counter("CHANNEL", "c1", "ChannelSize")}; 0 if absent. */
    public long counter(String type, String component, String name) {
        CounterGroup g = agent.counters().find(type, component);
        return g == null ? 0 : g.get(name);
    }

    /** Waits until a counter reaches at least {@code atLeast}, failing after {@code timeout}. */
    public void awaitCounter(String type, String component, String name, long atLeast, Duration timeout) {
        Awaitility.await(type + "." + component + "." + name + " >= " + atLeast)
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(10))
                .until(() -> counter(type, component, name) >= atLeast);
    }

    @Override
    public void close() {
        try {
            agent.stop();
        } finally {
            deleteRecursively(dataDirectory);
        }
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    // best effort: a temp directory left behind is not worth failing a test for
                }
            });
        } catch (IOException e) {
            // same
        }
    }
}
