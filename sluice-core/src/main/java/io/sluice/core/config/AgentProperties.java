package io.sluice.core.config;

import io.sluice.api.config.ConfigProblem;
import io.sluice.api.text.DidYouMean;
import io.sluice.core.config.filter.ConfigFilter;
import io.sluice.core.config.filter.ConfigFilters;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;

import static java.util.Objects.requireNonNull;

/**
 * The keys of one agent of a configuration file, in file order, with {@code ${...}} references
 * resolved. Only keys starting with {@code <agent>.} are kept; other agents of the same file are
 * ignored except as targets of {@code ${NAME}} references. Immutable and thread-safe.
 */
public final class AgentProperties {
    private final String agentName;
    private final String origin;
    private final Map<String, String> properties;
    private final List<ConfigProblem> problems;
    private final List<String> warnings;

    private AgentProperties(String agentName, String origin, Map<String, String> properties,
            List<ConfigProblem> problems, List<String> warnings) {
        this.agentName = requireNonNull(agentName, "agentName is null");
        this.origin = requireNonNull(origin, "origin is null");
        this.properties = Collections.unmodifiableMap(new LinkedHashMap<>(properties));
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
    }

    /** Reads {@code file} and keeps the keys of {@code agentName}; {@code overrides} are {@code -Dk=v}. */
    public static AgentProperties fromFile(String agentName, Path file, Map<String, String> overrides)
            throws IOException {
        return fromMap(agentName, OrderedProperties.load(file), overrides, file.toString());
    }

    /** Keeps the keys of {@code agentName} from an already read map (embedded agents, tests). */
    public static AgentProperties fromMap(String agentName, Map<String, String> all, Map<String, String> overrides,
            String origin) {
        requireNonNull(agentName, "agentName is null");
        Map<String, String> sys = new LinkedHashMap<>();
        Properties jvm = System.getProperties();
        for (String name : jvm.stringPropertyNames()) {
            sys.put(name, jvm.getProperty(name));
        }
        sys.putAll(overrides);
        List<ConfigProblem> problems = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, ConfigFilter> filters = ConfigFilters.of(agentName, all, System.getenv(), problems);
        Substitutor substitutor = new Substitutor(all, sys, System.getenv(), filters);
        Map<String, String> mine = new LinkedHashMap<>();
        String prefix = agentName + ".";
        for (Map.Entry<String, String> e : all.entrySet()) {
            if (e.getKey().startsWith(prefix)) {
                // Trailing white space is kept, as Apache Flume keeps it: it can be part of a
                // search pattern, a replacement or a static header value. Numbers, booleans, choices,
                // lists and component names are trimmed where they are parsed.
                mine.put(e.getKey(), substitutor.resolve(e.getKey(), e.getValue().stripLeading(), problems,
                        warnings));
            }
        }
        if (mine.isEmpty()) {
            Set<String> agents = agentNames(all);
            problems.add(new ConfigProblem(agentName + ".sources", null,
                    "no key in " + origin + " starts with '" + prefix + "'"
                            + (agents.isEmpty() ? "" : "; agents defined there: " + agents)
                            + DidYouMean.suggest(agentName, agents),
                    "pass the agent name used in the file with -n, or add " + prefix + "sources/channels/sinks"));
        }
        return new AgentProperties(agentName, origin, mine, problems, warnings);
    }

    /** The first segment of every key that looks like {@code <agent>.sources|channels|sinks...}. */
    public static Set<String> agentNames(Map<String, String> all) {
        Set<String> names = new LinkedHashSet<>();
        for (String k : all.keySet()) {
            int dot = k.indexOf('.');
            if (dot > 0) {
                String rest = k.substring(dot + 1);
                if (rest.startsWith("sources") || rest.startsWith("channels") || rest.startsWith("sinks")
                        || rest.startsWith("sinkgroups")) {
                    names.add(k.substring(0, dot));
                }
            }
        }
        return names;
    }

    public String agentName() {
        return agentName;
    }

    /** Where the keys came from (a file path, or a description for embedded agents). */
    public String origin() {
        return origin;
    }

    /** Full keys ({@code a1.sources.r1.type}) to substituted values, in file order. */
    public Map<String, String> all() {
        return properties;
    }

    /** Problems found while resolving references. */
    public List<ConfigProblem> problems() {
        return problems;
    }

    /** Warnings found while resolving references (a {@code ${NAME}} left as written). */
    public List<String> warnings() {
        return warnings;
    }

    /** The value of {@code <agent>.<relativeKey>}. */
    public Optional<String> get(String relativeKey) {
        return Optional.ofNullable(properties.get(agentName + "." + relativeKey));
    }

    /** A whitespace-separated list at {@code <agent>.<relativeKey>}, empty when absent. */
    public List<String> list(String relativeKey) {
        return get(relativeKey).map(AgentProperties::split).orElse(List.of());
    }

    /** Splits a whitespace-separated list. */
    public static List<String> split(String value) {
        String t = value.trim();
        return t.isEmpty() ? List.of() : List.of(t.split("\\s+"));
    }

    /**
     * The distinct second segments of keys under {@code <agent>.<word>.}, e.g. every source name
     * that has at least one key.
     */
    public Set<String> definedNames(String word) {
        String prefix = agentName + "." + word + ".";
        Set<String> names = new LinkedHashSet<>();
        for (String k : properties.keySet()) {
            if (k.startsWith(prefix)) {
                String rest = k.substring(prefix.length());
                int dot = rest.indexOf('.');
                names.add(dot < 0 ? rest : rest.substring(0, dot));
            }
        }
        return names;
    }
}
