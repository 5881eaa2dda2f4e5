package io.sluice.core.agent;

import io.sluice.api.Channel;
import io.sluice.api.Sink;
import io.sluice.core.channel.ResizableChannel;
import io.sluice.core.config.AgentProperties;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static java.util.Objects.requireNonNull;

/**
 * What a reload does to each component, from the keys the running components were built from and
 * the new configuration. A component is kept when its own keys and its wiring did not change:
 * <ul>
 *   <li>a channel by its {@code <agent>.channels.<c>.*} keys; a channel whose only changed keys
 *       are ones it can apply in place ({@link ResizableChannel}, e.g. a memory channel's
 *       {@code capacity}) is resized instead of rebuilt;</li>
 *   <li>a source by its {@code <agent>.sources.<r>.*} keys (channels, selector, interceptors
 *       included) and by every channel it writes to being kept or resized;</li>
 *   <li>a sink runner unit (a sink group with its sinks, or a sink in no group) by the group's
 *       {@code <agent>.sinkgroups.<g>.*} keys, every member's {@code <agent>.sinks.<k>.*} keys, and
 *       every member's channel being kept or resized.</li>
 * </ul>
 * Other components present on both sides are restarted (stopped, rebuilt, started), new ones added,
 * missing ones removed. Immutable.
 */
final class ReloadPlan {
    /** What happens to one component. */
    enum Action { KEEP, RESIZE, RESTART, ADD, REMOVE }

    final Map<String, Action> channels;
    final Map<String, Action> sources;
    /** By unit label: {@code a1.sinkgroups.g1}, or {@code a1.sinks.k1} for a sink in no group. */
    final Map<String, Action> units;

    ReloadPlan(Map<String, Action> channels, Map<String, Action> sources, Map<String, Action> units) {
        this.channels = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(channels, "channels is null")));
        this.sources = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(sources, "sources is null")));
        this.units = Collections.unmodifiableMap(new LinkedHashMap<>(requireNonNull(units, "units is null")));
    }

    /** The keys under {@code prefix} (e.g. {@code a1.channels.c1.}), sorted. */
    static Map<String, String> keysUnder(Map<String, String> props, String prefix) {
        Map<String, String> out = new TreeMap<>();
        props.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The keys a sink runner unit is built from: its group's keys (if any) and each member sink's. */
    static Map<String, String> unitKeys(String agent, Map<String, String> props, SinkGroup unit) {
        Map<String, String> out = new TreeMap<>();
        if (unit.label.startsWith(agent + ".sinkgroups.")) {
            out.putAll(keysUnder(props, unit.label + "."));
        }
        for (Sink s : unit.sinks) {
            out.putAll(keysUnder(props, agent + ".sinks." + s.name() + "."));
        }
        return out;
    }

    /**
     * Decides for each channel from the keys alone (the builder must know which running channels
     * to wire in before it builds the sources and sinks).
     *
     * @param running the running channels by name
     * @param runningKeys the keys each running component was built from, by label ({@code a1.channels.c1})
     * @param props the new configuration's resolved keys
     */
    static Map<String, Action> channelActions(String agent, Map<String, Channel> running,
            Map<String, Map<String, String>> runningKeys, Map<String, String> props) {
        List<String> wanted = listed(agent, props, "channels");
        Map<String, Action> out = new LinkedHashMap<>();
        for (String name : running.keySet()) {
            if (!wanted.contains(name)) {
                out.put(name, Action.REMOVE);
            }
        }
        for (String name : wanted) {
            Channel ch = running.get(name);
            if (ch == null) {
                out.put(name, Action.ADD);
                continue;
            }
            String prefix = agent + ".channels." + name + ".";
            Map<String, String> before = runningKeys.getOrDefault(agent + ".channels." + name, Map.of());
            Map<String, String> after = keysUnder(props, prefix);
            if (before.equals(after)) {
                out.put(name, Action.KEEP);
            } else if (ch instanceof ResizableChannel
                    && ((ResizableChannel) ch).resizableKeys().containsAll(changedKeys(before, after, prefix))) {
                out.put(name, Action.RESIZE);
            } else {
                out.put(name, Action.RESTART);
            }
        }
        return out;
    }

    /** The running channels a build of the new configuration wires in instead of new ones. */
    static Map<String, Channel> reused(Map<String, Action> channelActions, Map<String, Channel> running) {
        Map<String, Channel> out = new LinkedHashMap<>();
        channelActions.forEach((name, action) -> {
            if (action == Action.KEEP || action == Action.RESIZE) {
                out.put(name, running.get(name));
            }
        });
        return out;
    }

    /**
     * The whole plan.
     *
     * @param runningSources names of the running sources
     * @param runningUnits labels of the running sink runner units
     * @param runningKeys the keys each running component was built from, by label
     */
    static ReloadPlan of(String agent, Map<String, Action> channelActions, Set<String> runningSources,
            Set<String> runningUnits, Map<String, Map<String, String>> runningKeys, BuiltAgent target) {
        Map<String, String> props = target.properties;
        Map<String, Action> sources = new LinkedHashMap<>();
        for (String name : runningSources) {
            if (!target.sources.containsKey(name)) {
                sources.put(name, Action.REMOVE);
            }
        }
        for (String name : target.sources.keySet()) {
            if (!runningSources.contains(name)) {
                sources.put(name, Action.ADD);
                continue;
            }
            String prefix = agent + ".sources." + name + ".";
            boolean same = keysUnder(props, prefix).equals(runningKeys.get(agent + ".sources." + name))
                    && allReused(AgentProperties.split(props.getOrDefault(prefix + "channels", "")), channelActions);
            sources.put(name, same ? Action.KEEP : Action.RESTART);
        }
        Map<String, Action> units = new LinkedHashMap<>();
        Set<String> targetUnits = new HashSet<>();
        for (SinkGroup g : target.groups) {
            targetUnits.add(g.label);
        }
        for (String label : runningUnits) {
            if (!targetUnits.contains(label)) {
                units.put(label, Action.REMOVE);
            }
        }
        for (SinkGroup g : target.groups) {
            if (!runningUnits.contains(g.label)) {
                units.put(g.label, Action.ADD);
                continue;
            }
            List<String> readFrom = new ArrayList<>();
            for (Sink s : g.sinks) {
                readFrom.add(props.getOrDefault(agent + ".sinks." + s.name() + ".channel", "").trim());
            }
            boolean same = unitKeys(agent, props, g).equals(runningKeys.get(g.label))
                    && allReused(readFrom, channelActions);
            units.put(g.label, same ? Action.KEEP : Action.RESTART);
        }
        return new ReloadPlan(channelActions, sources, units);
    }

    private static boolean allReused(List<String> channelNames, Map<String, Action> channelActions) {
        for (String c : channelNames) {
            Action a = channelActions.get(c);
            if (a != Action.KEEP && a != Action.RESIZE) {
                return false;
            }
        }
        return true;
    }

    private static List<String> listed(String agent, Map<String, String> props, String word) {
        String raw = props.get(agent + "." + word);
        return raw == null ? List.of() : AgentProperties.split(raw);
    }

    private static Set<String> changedKeys(Map<String, String> before, Map<String, String> after, String prefix) {
        Set<String> all = new HashSet<>(before.keySet());
        all.addAll(after.keySet());
        Set<String> changed = new HashSet<>();
        for (String k : all) {
            String b = before.get(k);
            String a = after.get(k);
            if (b == null ? a != null : !b.equals(a)) {
                changed.add(k.substring(prefix.length()));
            }
        }
        return changed;
    }

    /**
     * One line per action that occurs, e.g. {@code kept: channels.c1, sources.r1}, component names
     * relative to the agent.
     */
    String summary(String agent) {
        StringBuilder sb = new StringBuilder();
        for (Action a : Action.values()) {
            List<String> names = new ArrayList<>();
            channels.forEach((n, x) -> {
                if (x == a) {
                    names.add("channels." + n);
                }
            });
            sources.forEach((n, x) -> {
                if (x == a) {
                    names.add("sources." + n);
                }
            });
            units.forEach((label, x) -> {
                if (x == a) {
                    names.add(label.substring(agent.length() + 1));
                }
            });
            if (names.isEmpty()) {
                continue;
            }
            names.sort(null);
            if (sb.length() > 0) {
                sb.append("; ");
            }
            sb.append(word(a)).append(": ").append(String.join(", ", names));
        }
        return sb.length() == 0 ? "nothing to do" : sb.toString();
    }

    static String word(Action a) {
        switch (a) {
            case KEEP:
                return "kept";
            case RESIZE:
                return "resized";
            case RESTART:
                return "restarted";
            case ADD:
                return "added";
            default:
                return "removed";
        }
    }
}
