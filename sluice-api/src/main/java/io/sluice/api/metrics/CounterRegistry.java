package io.sluice.api.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The counter groups of one agent, by {@code TYPE.name} (e.g. {@code CHANNEL.c1}, Apache Flume's
 * JSON key). Thread-safe.
 */
public final class CounterRegistry {
    private final Map<String, CounterGroup> groups = new ConcurrentHashMap<>();

    /** Registers {@code group}, replacing one of the same type and name, and returns it. */
    public <G extends CounterGroup> G register(G group) {
        groups.put(group.type() + "." + group.name(), group);
        return group;
    }

    public void unregister(CounterGroup group) {
        groups.remove(group.type() + "." + group.name(), group);
    }

    /** All groups, sorted by {@code TYPE.name}. */
    public List<CounterGroup> groups() {
        List<CounterGroup> out = new ArrayList<>(groups.values());
        out.sort((a, b) -> (a.type() + "." + a.name()).compareTo(b.type() + "." + b.name()));
        return out;
    }

    public CounterGroup find(String type, String name) {
        return groups.get(type + "." + name);
    }
}
