package io.sluice.bench.harness;

import io.sluice.bench.BenchContext;
import io.sluice.bench.BenchOptions;
import io.sluice.bench.Comparison;
import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static java.util.Objects.requireNonNull;

/**
 * Measures one Flume-format agent configuration on Apache Flume and on Sluice, each run a fresh
 * child JVM with the same JVM options, alternating Flume, Sluice, Flume, Sluice, ... For each run:
 * start the agent with HTTP metrics, wait for the counter to appear, let it run for the warm-up,
 * read the counter, wait the window, read it again; events/s = difference / elapsed time between
 * the two readings. Both sides are read through the same {@code /metrics} JSON, so they are
 * measured the same way. Not thread-safe.
 */
public final class SideBySideAgents {
    private static final long START_TIMEOUT_MILLIS = 90_000;

    /** Writes the configuration text for one run; {@code runDir} is that run's scratch directory. */
    @FunctionalInterface
    public interface ConfigWriter {
        String write(AgentSide side, Path runDir) throws IOException;
    }

    private final String scenario;
    private final String agentName;
    private final ConfigWriter config;
    private final String counterGroup;
    private final String counterName;
    private final Path pluginsDir;

    /**
     * @param scenario     the name in the final line
     * @param agentName    the agent to run from the configuration ({@code -n})
     * @param config       the configuration, per side and run
     * @param counterGroup the counter group that measures delivered events, e.g. {@code CHANNEL.c1}
     * @param counterName  its counter, e.g. {@code EventTakeSuccessCount}
     */
    public SideBySideAgents(String scenario, String agentName, ConfigWriter config, String counterGroup,
            String counterName) {
        this.scenario = requireNonNull(scenario, "scenario is null");
        this.agentName = requireNonNull(agentName, "agentName is null");
        this.config = requireNonNull(config, "config is null");
        this.counterGroup = requireNonNull(counterGroup, "counterGroup is null");
        this.counterName = requireNonNull(counterName, "counterName is null");
        this.pluginsDir = null;
    }

    private SideBySideAgents(SideBySideAgents base, Path pluginsDir) {
        this.scenario = base.scenario;
        this.agentName = base.agentName;
        this.config = base.config;
        this.counterGroup = base.counterGroup;
        this.counterName = base.counterName;
        this.pluginsDir = requireNonNull(pluginsDir, "pluginsDir is null");
    }

    /** The same benchmark with the plugins of a {@code plugins.d} directory installed on both sides. */
    public SideBySideAgents withPlugins(Path dir) {
        return new SideBySideAgents(this, dir);
    }

    public Comparison run(BenchContext context) throws Exception {
        BenchOptions o = context.options();
        List<Double> flume = new ArrayList<>();
        List<Double> sluice = new ArrayList<>();
        for (int i = 1; i <= o.runs(); i++) {
            flume.add(measure(context, AgentSide.FLUME, i));
            sluice.add(measure(context, AgentSide.SLUICE, i));
        }
        return new Comparison(scenario, AgentSide.FLUME.label(), sluice, flume);
    }

    private double measure(BenchContext context, AgentSide side, int run) throws Exception {
        BenchOptions o = context.options();
        Path runDir = context.workDirectory().resolve(scenario).resolve(side.label() + "-" + run);
        Files.createDirectories(runDir);
        Path conf = runDir.resolve("flume.conf");
        Files.writeString(conf, config.write(side, runDir));
        int port = FreePorts.tcp();
        try (ChildJvm agent = side.start(context.home(), o.jvmOptions(), agentName, conf, port, runDir, pluginsDir)) {
            MetricsClient metrics = new MetricsClient(port);
            awaitCounter(agent, metrics);
            MetricsClient.Window w = metrics.window(counterGroup, counterName, o.warmupSeconds(), o.windowSeconds());
            if (!agent.isAlive()) {
                throw new IllegalStateException(side.label() + " agent exited during the window; log "
                        + agent.logFile() + ":\n" + agent.logTail(30));
            }
            double eps = w.eventsPerSecond();
            context.log(String.format(Locale.ROOT, "%s run %d/%d %-6s eps=%.0f (%d events in %.2f s, %s.%s)",
                    scenario, run, o.runs(), side.label(), eps, w.events(), w.seconds(), counterGroup, counterName));
            return eps;
        }
    }

    private void awaitCounter(ChildJvm agent, MetricsClient metrics) throws Exception {
        awaitMoving(agent, metrics, counterGroup, counterName);
    }

    /**
     * Waits until {@code agent} serves {@code counterGroup.counterName} above zero, failing with the
     * tail of its log if it exits or takes longer than 90 s.
     */
    public static void awaitMoving(ChildJvm agent, MetricsClient metrics, String counterGroup, String counterName)
            throws Exception {
        long deadline = System.currentTimeMillis() + START_TIMEOUT_MILLIS;
        Exception last = null;
        while (System.currentTimeMillis() < deadline) {
            if (!agent.isAlive()) {
                throw new IllegalStateException(agent.label() + " agent exited before serving metrics; log "
                        + agent.logFile() + ":\n" + agent.logTail(40));
            }
            try {
                if (metrics.read(counterGroup, counterName).value() > 0) {
                    return;
                }
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException(agent.label() + " agent did not report a moving " + counterGroup + "."
                + counterName + " within " + START_TIMEOUT_MILLIS / 1000 + " s (last error: " + last + "); log "
                + agent.logFile() + ":\n" + agent.logTail(40));
    }
}
