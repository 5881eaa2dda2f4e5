package io.sluice.core.agent;

import io.sluice.api.config.ConfigProblem;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * The result of validating an agent's configuration: every problem (each refuses the start),
 * warnings (unknown keys, ignored components), and the component graph. Immutable.
 */
public final class ValidationReport {
    private final String agentName;
    private final String origin;
    private final List<ConfigProblem> problems;
    private final List<String> warnings;
    private final String componentGraph;
    private final Topology topology;

    public ValidationReport(String agentName, String origin, List<ConfigProblem> problems, List<String> warnings,
            String componentGraph) {
        this(agentName, origin, problems, warnings, componentGraph, Topology.EMPTY);
    }

    public ValidationReport(String agentName, String origin, List<ConfigProblem> problems, List<String> warnings,
            String componentGraph, Topology topology) {
        this.agentName = requireNonNull(agentName, "agentName is null");
        this.origin = requireNonNull(origin, "origin is null");
        this.problems = List.copyOf(problems);
        this.warnings = List.copyOf(warnings);
        this.componentGraph = requireNonNull(componentGraph, "componentGraph is null");
        this.topology = requireNonNull(topology, "topology is null");
    }

    public boolean ok() {
        return problems.isEmpty();
    }

    public String agentName() {
        return agentName;
    }

    public String origin() {
        return origin;
    }

    public List<ConfigProblem> problems() {
        return problems;
    }

    public List<String> warnings() {
        return warnings;
    }

    /** Multi-line text: sources -> channels -> sinks, and sink groups. */
    public String componentGraph() {
        return componentGraph;
    }

    /** The same graph as data (for the web console's {@code GET /topology}). */
    public Topology topology() {
        return topology;
    }

    /**
     * {@code Configuration OK} and the graph, or {@code N problem(s) in <file> for agent 'a1':}
     * and the numbered problems; warnings follow in both cases.
     */
    public String render() {
        StringBuilder sb = new StringBuilder();
        if (ok()) {
            sb.append("Configuration OK\n").append(componentGraph);
            if (!componentGraph.endsWith("\n")) {
                sb.append('\n');
            }
        } else {
            sb.append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
                    .append(" in ").append(origin).append(" for agent '").append(agentName).append("':\n");
            int i = 1;
            for (ConfigProblem p : problems) {
                sb.append(i++).append(". ").append(p).append('\n');
            }
        }
        if (!warnings.isEmpty()) {
            sb.append(warnings.size()).append(warnings.size() == 1 ? " warning:\n" : " warnings:\n");
            for (String w : warnings) {
                sb.append("- ").append(w).append('\n');
            }
        }
        return sb.toString();
    }

    @Override
    public String toString() {
        return render();
    }
}
