package io.sluice.api.config;

import io.sluice.api.ComponentKind;
import io.sluice.api.metrics.CounterRegistry;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * What a component sees of the configuration while it is being built: its own keys, a place to
 * report problems, and the agent's shared services. Problems are collected, never thrown, so one
 * validation run reports everything that is wrong.
 */
public interface ComponentContext {

    String agentName();

    ComponentKind kind();

    /** The component's name, e.g. {@code c1}. */
    String name();

    /** The prefix of this component's keys, with its trailing dot: {@code a1.channels.c1.}. */
    String keyPrefix();

    /**
     * The component's label in logs and messages: its key prefix without the trailing dot, e.g.
     * {@code a1.channels.c1}, written in brackets where it names the speaker ({@code [a1.channels.c1]}).
     * Every kind of component takes its label from here.
     */
    default String label() {
        String p = keyPrefix();
        return p.endsWith(".") ? p.substring(0, p.length() - 1) : p;
    }

    /** {@code keyPrefix() + relativeKey}. */
    default String fullKey(String relativeKey) {
        return keyPrefix() + relativeKey;
    }

    /**
     * The value of {@code key}: parsed, checked, or its default when absent. A bad value is
     * reported as a problem and the default is returned so validation can go on.
     */
    <T> T get(ConfigKey<T> key);

    /** The raw, substituted value of a relative key. */
    Optional<String> raw(String relativeKey);

    /** Every key of this component (relative name to raw value), in file order. */
    Map<String, String> properties();

    /** The keys under {@code prefix} (e.g. {@code selector.}), with the prefix removed. */
    Map<String, String> subProperties(String prefix);

    /** A context for a nested part configured under {@code relativePrefix} (e.g. {@code serializer.}). */
    ComponentContext child(ComponentKind kind, String name, String relativePrefix);

    /** Reports a problem with a relative key of this component. */
    void problem(String relativeKey, String value, String rule, String fix);

    /** Reports a problem with a value that is not a single key, or a whole-component problem. */
    default void problem(String rule, String fix) {
        problem("type", raw("type").orElse(null), rule, fix);
    }

    /** Logs a warning about a key without refusing the configuration. */
    void warn(String relativeKey, String message);

    /** A directory this component may keep state in, created on first use: {@code <agent data>/<kind>/<name>}. */
    Path dataDirectory();

    Clock clock();

    CounterRegistry counters();
}
