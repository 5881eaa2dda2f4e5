package io.sluice.e2e.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds a Flume-format configuration file line by line for a test: {@code
 * AgentConfig.of("a1").set("sources", "r1").set("sources.r1.type", "netcat")...writeTo(dir)}.
 * Keys are relative to the agent name. Not thread-safe.
 */
public final class AgentConfig {
    private final String agent;
    private final List<String> lines = new ArrayList<>();

    private AgentConfig(String agent) {
        this.agent = agent;
    }

    public static AgentConfig of(String agent) {
        return new AgentConfig(agent);
    }

    /** Adds {@code <agent>.<key> = <value>}. */
    public AgentConfig set(String key, Object value) {
        lines.add(agent + "." + key + " = " + value);
        return this;
    }

    /** Adds a raw line (a comment, another agent's key, a deliberately broken line). */
    public AgentConfig line(String raw) {
        lines.add(raw);
        return this;
    }

    public String text() {
        return String.join("\n", lines) + "\n";
    }

    /** Writes {@code <dir>/flume.conf} and returns its path. */
    public Path writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            return Files.writeString(dir.resolve("flume.conf"), text());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
