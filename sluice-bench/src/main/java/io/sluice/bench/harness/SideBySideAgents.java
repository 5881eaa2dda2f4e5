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
 * measured the same way. Each run's line also gives the agent's CPU time over the window (all its
 * threads, from {@code /proc}): in cores (CPU time over wall time: near the cores it may use when
 * CPU-bound, lower when it waits) and per event. A {@link RunCheck} can refuse a run (e.g. a reader
 * that came near the end of its input): it is logged as invalid and run again, up to
 * {@value #ATTEMPTS} times. Not thread-safe.
 */
public final class SideBySideAgents {
    private static final long START_TIMEOUT_MILLIS = 90_000;
    static final int ATTEMPTS = 3;

    /** Writes the configuration text for one run; {@code runDir} is that run's scratch directory. */
    @FunctionalInterface
    public interface ConfigWriter {
        String write(AgentSide side, Path runDir) throws IOException;
    }

    /**
     * Decides, right after a run's window, whether the run measured a steady rate: null when it did,
     * else why not (the run is then logged as invalid and repeated). {@code counterAtEnd} is the
     * counter's value at the window's end; the agent is still running.
     */
    @FunctionalInterface
    public interface RunCheck {
        String invalid(AgentSide side, long counterAtEnd) throws Exception;
    }

    private final String scenario;
    private final String agentName;
    private final ConfigWriter config;
    private final String counterGroup;
    private final String counterName;
    private final Path pluginsDir;
    private final RunCheck check;

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
        this.check = (side, end) -> null;
    }

    private SideBySideAgents(SideBySideAgents base, Path pluginsDir, RunCheck check) {
        this.scenario = base.scenario;
        this.agentName = base.agentName;
        this.config = base.config;
        this.counterGroup = base.counterGroup;
        this.counterName = base.counterName;
        this.pluginsDir = pluginsDir;
        this.check = requireNonNull(check, "check is null");
    }

    /** The same benchmark with the plugins of a {@code plugins.d} directory installed on both sides. */
    public SideBySideAgents withPlugins(Path dir) {
        return new SideBySideAgents(this, requireNonNull(dir, "dir is null"), check);
    }

    /** The same benchmark, with every run (of either side) checked by {@code runCheck} after its window. */
    public SideBySideAgents withCheck(RunCheck runCheck) {
        return new SideBySideAgents(this, pluginsDir, runCheck);
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
        for (int attempt = 1; ; attempt++) {
            Measured m = measureOnce(context, side, run, attempt);
            if (m.invalid() == null) {
                return m.eventsPerSecond();
            }
            context.log(String.format(Locale.ROOT, "%s run %d/%d %-6s invalid, eps=%.0f not counted (%s)%s",
                    scenario, run, context.options().runs(), side.label(), m.eventsPerSecond(), m.invalid(), attempt < ATTEMPTS ? ", retrying" : ""));
            if (attempt == ATTEMPTS) {
                throw new IllegalStateException(scenario + ": " + side.label() + " run " + run + " was invalid "
                        + ATTEMPTS + " times in a row; last: " + m.invalid());
            }
        }
    }

    /** One run's rate, or why it does not count. */
    private record Measured(double eventsPerSecond, String invalid) {
    }

    private Measured measureOnce(BenchContext context, AgentSide side, int run, int attempt) throws Exception {
        BenchOptions o = context.options();
        Path runDir = context.workDirectory().resolve(scenario)
                .resolve(side.label() + "-" + run + (attempt > 1 ? "-try" + attempt : ""));
        Files.createDirectories(runDir);
        Path conf = runDir.resolve("flume.conf");
        Files.writeString(conf, config.write(side, runDir));
        int port = FreePorts.tcp();
        try (ChildJvm agent = side.start(context.home(), o.jvmOptions(), agentName, conf, port, runDir, pluginsDir)) {
            MetricsClient metrics = new MetricsClient(port);
            awaitCounter(agent, metrics);
            Thread.sleep(o.warmupSeconds() * 1000L);
            long cpu0 = ProcessCpu.nanos(agent.pid());
            MetricsClient.Reading start = metrics.read(counterGroup, counterName);
            Thread.sleep(o.windowSeconds() * 1000L);
            MetricsClient.Reading end = metrics.read(counterGroup, counterName);
            long cpu1 = ProcessCpu.nanos(agent.pid());
            if (!agent.isAlive()) {
                throw new IllegalStateException(side.label() + " agent exited during the window; log "
                        + agent.logFile() + ":\n" + agent.logTail(30));
            }
            String invalid = check.invalid(side, end.value());
            long events = end.value() - start.value();
            double seconds = (end.nanoTime() - start.nanoTime()) / 1e9;
            double eps = events / seconds;
            if (invalid == null) {
                context.log(String.format(Locale.ROOT, "%s run %d/%d %-6s eps=%.0f (%d events in %.2f s, %s.%s;"
                        + " agent cpu %.2f cores, %.2f us/event)", scenario, run, o.runs(), side.label(), eps, events,
                        seconds, counterGroup, counterName, (cpu1 - cpu0) / 1e9 / seconds,
                        events == 0 ? Double.NaN : (cpu1 - cpu0) / 1e3 / events));
            }
            return new Measured(eps, invalid);
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
