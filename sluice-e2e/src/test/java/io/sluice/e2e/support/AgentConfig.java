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

    /** Declares the agent's {@code sources}, {@code channels} and {@code sinks} (space-separated names). */
    public AgentConfig components(String sources, String channels, String sinks) {
        return set("sources", sources).set("channels", channels).set("sinks", sinks);
    }

    /** A {@code netcat} source bound to 127.0.0.1 on {@code port}, feeding {@code channel}. */
    public AgentConfig netcatSource(String name, Object port, String channel) {
        return loopbackSource(name, "netcat", port, channel);
    }

    /** An {@code http} source bound to 127.0.0.1 on {@code port}, feeding {@code channel}. */
    public AgentConfig httpSource(String name, Object port, String channel) {
        return loopbackSource(name, "http", port, channel);
    }

    /** A source of {@code type} bound to 127.0.0.1 on {@code port}, feeding {@code channel}. */
    public AgentConfig loopbackSource(String name, String type, Object port, String channel) {
        String p = "sources." + name + ".";
        return set(p + "type", type).set(p + "bind", "127.0.0.1").set(p + "port", port).set(p + "channels", channel);
    }

    /** A {@code file_roll} sink draining {@code channel} into {@code directory}, rolling every second. */
    public AgentConfig fileRollSink(String name, String channel, Object directory) {
        String p = "sinks." + name + ".";
        return set(p + "type", "file_roll").set(p + "channel", channel)
                .set(p + "sink.directory", directory).set(p + "sink.rollInterval", 1);
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
