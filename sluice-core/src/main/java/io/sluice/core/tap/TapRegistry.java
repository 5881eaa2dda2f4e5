package io.sluice.core.tap;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import static java.util.Objects.requireNonNull;

/**
 * The tap points of one agent, by component kind and name. It outlives the agent's components: a
 * reload asks for the point of a rebuilt component by the same name and gets the same point, so
 * its open taps keep receiving. Thread-safe.
 */
public final class TapRegistry {
    private final ConcurrentMap<String, TapPoint> points = new ConcurrentHashMap<>();

    /** The point of component {@code name} of {@code kind}, made on first use. */
    public TapPoint point(TapKind kind, String name) {
        requireNonNull(kind, "kind is null");
        requireNonNull(name, "name is null");
        return points.computeIfAbsent(kind.word() + ':' + name, k -> new TapPoint(kind, name));
    }

    /** The points made so far (components built at least once since the agent started). */
    public List<TapPoint> points() {
        return new ArrayList<>(points.values());
    }
}
