package io.sluice.core.agent;

import io.sluice.api.Channel;
import io.sluice.api.Sink;
import io.sluice.api.Source;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.core.agent.ReloadPlan.Action;
import io.sluice.core.config.AgentProperties;
import io.sluice.core.config.source.ConfigSources;
import io.sluice.core.registry.ComponentRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * A validated configuration materialised into components. {@link #start()} starts channels, then
 * sinks (each sink group or lone sink on its own runner thread), then sources (pollable ones on a
 * runner thread); if anything fails to start, what started is stopped again and start throws.
 * {@link #stop()} stops the sources first, lets the sinks drain the channels for at most the drain
 * timeout, then stops sinks and channels; a memory channel logs how many events it still held.
 *
 * <p>{@link #reload} applies a changed configuration to the running agent, touching only what
 * changed (see {@link ReloadPlan}): sources that change or go are stopped first, channels that go
 * are drained by their sinks (for at most the drain timeout), sinks that change or go are stopped,
 * then channels are resized, rebuilt (a memory channel's events move into the new one), removed or
 * added, then changed and new sinks start, then changed and new sources. Kept components, their
 * events and their counters are not touched. If a new component fails to start, the previous
 * configuration is applied again the same way.
 *
 * <p>An agent runs once: after stop, create a new one. Thread-safe: lifecycle methods are
 * synchronized on the agent, which guards the {@link RunningSet}.
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private enum Phase { CREATED, RUNNING, STOPPED }

    private volatile AgentSpec spec;
    private volatile ValidationReport report;
    private final BuiltAgent initial;
    private final CounterRegistry counters;
    private final RunningSet running;
    private Phase phase = Phase.CREATED;
    private boolean pendingResize;
    /** What ran when the agent stopped, for the accessors afterwards. */
    private Map<String, Channel> stoppedChannels = Map.of();
    private Map<String, Source> stoppedSources = Map.of();
    private Map<String, Sink> stoppedSinks = Map.of();

    private Agent(AgentSpec spec, BuiltAgent built, CounterRegistry counters) {
        this.spec = spec;
        this.report = built.report;
        this.initial = built;
        this.counters = counters;
        this.running = new RunningSet(spec.agentName(), spec.backoff(), counters);
    }

    /** Checks the configuration without starting anything (no sockets, no threads). */
    public static ValidationReport validate(AgentSpec spec) {
        return validate(spec, ComponentRegistry.standard());
    }

    public static ValidationReport validate(AgentSpec spec, ComponentRegistry registry) {
        requireNonNull(spec, "spec is null");
        return AgentBuilder.build(spec, registry, new CounterRegistry()).report;
    }

    /** Builds the agent; throws, listing every problem, if the configuration has any. */
    public static Agent create(AgentSpec spec) throws InvalidConfigurationException {
        return create(spec, ComponentRegistry.standard());
    }

    public static Agent create(AgentSpec spec, ComponentRegistry registry) throws InvalidConfigurationException {
        requireNonNull(spec, "spec is null");
        requireNonNull(registry, "registry is null");
        CounterRegistry counters = new CounterRegistry();
        BuiltAgent built = AgentBuilder.build(spec, registry, counters);
        if (!built.report.ok()) {
            throw new InvalidConfigurationException(built.report);
        }
        for (String w : built.report.warnings()) {
            LOG.warn("[{}] {}", spec.agentName(), w);
        }
        return new Agent(spec, built, counters);
    }

    public String name() {
        return spec.agentName();
    }

    public AgentSpec spec() {
        return spec;
    }

    /** The validation report of the configuration running now (warnings and component graph). */
    public ValidationReport report() {
        return report;
    }

    /** The agent's counters; the same registry for the agent's whole life, reloads included. */
    public CounterRegistry counters() {
        return counters;
    }

    /** The channels running now (before start: those built; after stop: those that ran). */
    public synchronized Map<String, Channel> channels() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(phase == Phase.CREATED ? initial.channels
                : phase == Phase.STOPPED ? stoppedChannels : running.channels));
    }

    /** The sources running now (before start: those built; after stop: those that ran). */
    public synchronized Map<String, Source> sources() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(phase == Phase.CREATED ? initial.sources
                : phase == Phase.STOPPED ? stoppedSources : running.sources));
    }

    /** The sinks running now (before start: those built; after stop: those that ran). */
    public synchronized Map<String, Sink> sinks() {
        return Collections.unmodifiableMap(new LinkedHashMap<>(phase == Phase.CREATED ? initial.sinks
                : phase == Phase.STOPPED ? stoppedSinks : running.sinks()));
    }

    public synchronized boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    /** Whether a reload left a channel at its old size (it held too much); the next check tries again. */
    public synchronized boolean hasPendingChanges() {
        return pendingResize;
    }

    public synchronized void start() {
        if (phase == Phase.RUNNING) {
            return;
        }
        if (phase == Phase.STOPPED) {
            throw new IllegalStateException("agent " + name() + " was stopped; create a new Agent to run it again");
        }
        LOG.info("[{}] starting from {}:\n{}", name(), spec.origin(), report.componentGraph());
        phase = Phase.RUNNING;
        Map<String, Action> channels = new LinkedHashMap<>();
        initial.channels.keySet().forEach(c -> channels.put(c, Action.ADD));
        ReloadPlan all = ReloadPlan.of(name(), channels, Set.of(), Set.of(), Map.of(), initial);
        try {
            apply(all, initial);
        } catch (RunningSet.StartFailure e) {
            LOG.error("[{}] {} failed to start; stopping what was started", name(), e.label, e.getCause());
            stopNow(Duration.ZERO);
            throw new IllegalStateException(e.getMessage(), e.getCause());
        } catch (RuntimeException | Error e) {
            LOG.error("[{}] failed to start; stopping what was started", name(), e);
            stopNow(Duration.ZERO);
            throw new IllegalStateException("[" + name() + "] failed to start: " + e.getMessage(), e);
        }
        LOG.info("[{}] started: {} source(s), {} channel(s), {} sink(s)", name(), running.sources.size(),
                running.channels.size(), running.sinks().size());
    }

    /**
     * Applies {@code next} to the running agent, restarting only what changed, and returns what was
     * done (one line: kept, resized, restarted, added, removed). An invalid configuration changes
     * nothing. If a new or changed component fails to start, {@code previous} (the configuration
     * running before) is applied again and {@link ReloadFailedException} says what failed.
     *
     * @throws InvalidConfigurationException listing every problem of {@code next} (nothing changed)
     */
    public synchronized String reload(AgentSpec next, AgentSpec previous, ComponentRegistry registry)
            throws InvalidConfigurationException, ReloadFailedException {
        requireNonNull(next, "next is null");
        requireNonNull(previous, "previous is null");
        requireNonNull(registry, "registry is null");
        if (phase != Phase.RUNNING) {
            throw new IllegalStateException("agent " + name() + " is " + phase + "; only a running agent reloads");
        }
        Prepared p = prepare(next, registry);
        String summary = p.plan.summary(name());
        LOG.info("[{}] applying the changed configuration: {}", name(), summary);
        try {
            List<String> notResized = apply(p.plan, p.target);
            pendingResize = !notResized.isEmpty();
            if (pendingResize) {
                summary += "; not resized yet (they hold too much; tried again at the next check): "
                        + String.join(", ", notResized.stream().map(c -> "channels." + c).toList());
            }
        } catch (RuntimeException | Error e) {
            LOG.error("[{}] the changed configuration did not start ({}); applying the previous one again", name(),
                    e.toString());
            rollBack(previous, registry);
            throw new ReloadFailedException("[" + name() + "] the changed configuration did not start: " + e
                    .getMessage() + "; the previous configuration runs again", e);
        }
        spec = next;
        report = p.target.report;
        LOG.info("[{}] reloaded: {}", name(), summary);
        return summary;
    }

    private void rollBack(AgentSpec previous, ComponentRegistry registry) {
        try {
            Prepared back = prepare(previous, registry);
            LOG.info("[{}] going back: {}", name(), back.plan.summary(name()));
            pendingResize = !apply(back.plan, back.target).isEmpty();
            LOG.info("[{}] the previous configuration runs again", name());
        } catch (InvalidConfigurationException | RuntimeException | Error again) {
            LOG.error("[{}] the previous configuration did not start again either; running now: sources {}, channels"
                    + " {}, sinks {}", name(), running.sources.keySet(), running.channels.keySet(),
                    running.sinks().keySet(), again);
        }
    }

    /** The new configuration built around the running channels it keeps, and what to do. */
    private Prepared prepare(AgentSpec next, ComponentRegistry registry) throws InvalidConfigurationException {
        AgentProperties props;
        try {
            props = AgentBuilder.load(next);
        } catch (ConfigSources.SourceReadException e) {
            throw new InvalidConfigurationException(AgentBuilder.unreadable(next, e).report);
        }
        Map<String, Action> channelActions = ReloadPlan.channelActions(name(), running.channels, running.keys,
                props.all());
        BuiltAgent target = AgentBuilder.build(next, props, registry, new CounterRegistry(),
                ReloadPlan.reused(channelActions, running.channels));
        if (!target.report.ok()) {
            throw new InvalidConfigurationException(target.report);
        }
        for (String w : target.report.warnings()) {
            LOG.warn("[{}] {}", name(), w);
        }
        ReloadPlan plan = ReloadPlan.of(name(), channelActions, running.sources.keySet(), running.units.keySet(),
                running.keys, target);
        return new Prepared(target, plan);
    }

    /**
     * Stops, drains, rebuilds and starts what {@code plan} says, in that order. Throws when a
     * component fails to start; {@link #running} then still says what runs. Returns the channels
     * that kept their old size because they held too much for the new one.
     */
    private List<String> apply(ReloadPlan plan, BuiltAgent target) {
        for (String name : named(plan.sources, Action.REMOVE, Action.RESTART)) {
            running.stopSource(name, true);
        }
        List<String> removedChannels = named(plan.channels, Action.REMOVE);
        long left = running.drain(removedChannels, spec.drainTimeout());
        if (left > 0) {
            LOG.warn("[{}] drain timeout of {} ms passed with {} event(s) still in removed channels {}", name(),
                    spec.drainTimeout().toMillis(), left, removedChannels);
        }
        for (String label : named(plan.units, Action.REMOVE, Action.RESTART)) {
            running.stopUnit(label, true);
        }
        List<String> notResized = new ArrayList<>();
        for (Map.Entry<String, Action> e : plan.channels.entrySet()) {
            String name = e.getKey();
            switch (e.getValue()) {
                case RESIZE:
                    if (!running.resizeChannel(name, target)) {
                        notResized.add(name);
                    }
                    break;
                case REMOVE:
                    running.stopChannel(name, true);
                    break;
                case RESTART:
                    running.restartChannel(name, target.channels.get(name), target);
                    break;
                case ADD:
                    running.startChannel(name, target.channels.get(name), target);
                    break;
                default:
                    break;
            }
        }
        for (SinkGroup g : target.groups) {
            Action a = plan.units.get(g.label);
            if (a == Action.ADD || a == Action.RESTART) {
                running.startUnit(g, target);
            }
        }
        for (String name : target.sources.keySet()) {
            Action a = plan.sources.get(name);
            if (a == Action.ADD || a == Action.RESTART) {
                running.startSource(name, target);
            }
        }
        return notResized;
    }

    private static List<String> named(Map<String, Action> actions, Action... wanted) {
        Set<Action> w = Set.of(wanted);
        List<String> out = new ArrayList<>();
        actions.forEach((n, a) -> {
            if (w.contains(a)) {
                out.add(n);
            }
        });
        return out;
    }

    /** Stops sources, drains channels for at most the drain timeout, then stops sinks and channels. */
    public synchronized void stop() {
        if (phase != Phase.RUNNING) {
            phase = Phase.STOPPED;
            return;
        }
        stopNow(spec.drainTimeout());
    }

    private void stopNow(Duration drainTimeout) {
        LOG.info("[{}] stopping: sources first", name());
        stoppedChannels = new LinkedHashMap<>(running.channels);
        stoppedSources = new LinkedHashMap<>(running.sources);
        stoppedSinks = running.sinks();
        for (String s : new ArrayList<>(running.sources.keySet())) {
            running.stopSource(s, false);
        }
        Set<String> read = new LinkedHashSet<>();
        for (Sink s : running.sinks().values()) {
            read.add(s.getChannel().name());
        }
        long left = running.drain(read, drainTimeout);
        if (!read.isEmpty() && !drainTimeout.isZero()) {
            if (left == 0) {
                LOG.info("[{}] sinks drained the channels", name());
            } else {
                LOG.warn("[{}] drain timeout of {} ms passed with {} event(s) still in channels {}", name(),
                        drainTimeout.toMillis(), left, read);
            }
        }
        for (String label : new ArrayList<>(running.units.keySet())) {
            running.stopUnit(label, false);
        }
        for (String c : new ArrayList<>(running.channels.keySet())) {
            running.stopChannel(c, false);
        }
        phase = Phase.STOPPED;
        LOG.info("[{}] stopped", name());
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "Agent[" + name() + "]";
    }

    /** A configuration built for a reload and the plan to apply it. */
    private static final class Prepared {
        final BuiltAgent target;
        final ReloadPlan plan;

        Prepared(BuiltAgent target, ReloadPlan plan) {
            this.target = target;
            this.plan = plan;
        }
    }
}
