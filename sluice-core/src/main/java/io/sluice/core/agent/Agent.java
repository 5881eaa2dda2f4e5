package io.sluice.core.agent;

import io.sluice.api.Channel;
import io.sluice.api.Lifecycle;
import io.sluice.api.PollableSource;
import io.sluice.api.Sink;
import io.sluice.api.Source;
import io.sluice.api.metrics.ChannelCounter;
import io.sluice.api.metrics.CounterGroup;
import io.sluice.api.metrics.CounterRegistry;
import io.sluice.core.channel.DefaultChannelProcessor;
import io.sluice.core.registry.ComponentRegistry;
import io.sluice.core.runner.Backoff;
import io.sluice.core.runner.PollingRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * A validated configuration materialised into components. {@link #start()} starts channels, then
 * sinks (each sink group or lone sink on its own runner thread), then sources (pollable ones on a
 * runner thread); if anything fails to start, what started is stopped again and start throws.
 * {@link #stop()} stops the sources first, lets the sinks drain the channels for at most the drain
 * timeout, then stops sinks and channels; a memory channel logs how many events it still held.
 * An agent runs once: after stop, create a new one. Thread-safe (lifecycle methods are synchronized).
 */
public final class Agent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Agent.class);

    private enum Phase { CREATED, RUNNING, STOPPED }

    private final AgentSpec spec;
    private final BuiltAgent built;
    private final CounterRegistry counters;
    private final List<PollingRunner> sourceRunners = new ArrayList<>();
    private final List<PollingRunner> sinkRunners = new ArrayList<>();
    /** The put-commit listeners this agent added to channels, so that stop removes them. */
    private final List<Map.Entry<Channel, Runnable>> putListeners = new ArrayList<>();
    private Phase phase = Phase.CREATED;

    private Agent(AgentSpec spec, BuiltAgent built, CounterRegistry counters) {
        this.spec = spec;
        this.built = built;
        this.counters = counters;
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

    /** The validation report this agent was built from (warnings and component graph). */
    public ValidationReport report() {
        return built.report;
    }

    public CounterRegistry counters() {
        return counters;
    }

    public Map<String, Channel> channels() {
        return Collections.unmodifiableMap(built.channels);
    }

    public Map<String, Source> sources() {
        return Collections.unmodifiableMap(built.sources);
    }

    public Map<String, Sink> sinks() {
        return Collections.unmodifiableMap(built.sinks);
    }

    public synchronized boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    public synchronized void start() {
        if (phase == Phase.RUNNING) {
            return;
        }
        if (phase == Phase.STOPPED) {
            throw new IllegalStateException("agent " + name() + " was stopped; create a new Agent to run it again");
        }
        LOG.info("[{}] starting from {}:\n{}", name(), spec.origin(), built.report.componentGraph());
        phase = Phase.RUNNING;
        String current = name();
        try {
            for (Map.Entry<String, Channel> e : built.channels.entrySet()) {
                current = name() + ".channels." + e.getKey();
                e.getValue().start();
            }
            for (SinkGroup g : built.groups) {
                for (Sink s : g.sinks) {
                    current = name() + ".sinks." + s.name();
                    s.start();
                }
                current = g.label;
                g.processor.start();
                PollingRunner r = new PollingRunner(g.label, g.processor::process, spec.backoff());
                sinkRunners.add(r);
                listenForPuts(g, r);
                r.start();
            }
            for (Map.Entry<String, Source> e : built.sources.entrySet()) {
                current = name() + ".sources." + e.getKey();
                DefaultChannelProcessor cp = built.channelProcessors.get(e.getKey());
                if (cp != null) {
                    cp.initialize();
                }
                Source src = e.getValue();
                src.start();
                if (src instanceof PollableSource) {
                    PollableSource ps = (PollableSource) src;
                    Backoff b = spec.backoff() == Backoff.FLUME_DEFAULT
                            ? new Backoff(Duration.ofMillis(ps.backOffSleepIncrementMillis()),
                                    Duration.ofMillis(ps.maxBackOffSleepMillis()))
                            : spec.backoff();
                    PollingRunner r = new PollingRunner(current, ps::process, b);
                    sourceRunners.add(r);
                    r.start();
                }
            }
        } catch (Exception e) { // includes checked exceptions a component rethrows undeclared
            LOG.error("[{}] {} failed to start; stopping what was started", name(), current, e);
            stopNow(Duration.ZERO);
            throw new IllegalStateException("[" + current + "] failed to start: " + e.getMessage(), e);
        }
        LOG.info("[{}] started: {} source(s), {} channel(s), {} sink(s)", name(), built.sources.size(),
                built.channels.size(), built.sinks.size());
    }

    /**
     * A sink group's runner ends its back-off wait as soon as any channel of its sinks commits a
     * put, so an idle sink delivers the next event at once rather than after the back-off.
     */
    private void listenForPuts(SinkGroup g, PollingRunner r) {
        Runnable wake = r::dataArrived;
        for (Sink s : g.sinks) {
            Channel c = s.getChannel();
            if (c != null && c.addPutCommitListener(wake)) {
                putListeners.add(Map.entry(c, wake));
            }
        }
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
        for (PollingRunner r : sourceRunners) {
            r.stop();
        }
        for (Map.Entry<String, Source> e : built.sources.entrySet()) {
            stopQuietly(e.getValue(), name() + ".sources." + e.getKey());
            DefaultChannelProcessor cp = built.channelProcessors.get(e.getKey());
            if (cp != null) {
                cp.close();
            }
        }
        drain(drainTimeout);
        for (Map.Entry<Channel, Runnable> l : putListeners) {
            l.getKey().removePutCommitListener(l.getValue());
        }
        putListeners.clear();
        for (PollingRunner r : sinkRunners) {
            r.stop();
        }
        for (SinkGroup g : built.groups) {
            stopQuietly(g.processor, g.label);
            for (Sink s : g.sinks) {
                stopQuietly(s, name() + ".sinks." + s.name());
            }
        }
        for (Map.Entry<String, Channel> e : built.channels.entrySet()) {
            stopQuietly(e.getValue(), name() + ".channels." + e.getKey());
        }
        sourceRunners.clear();
        sinkRunners.clear();
        phase = Phase.STOPPED;
        LOG.info("[{}] stopped", name());
    }

    /** Waits until every channel that a sink reads is empty, or the timeout passes. */
    private void drain(Duration timeout) {
        Map<String, Channel> drained = new LinkedHashMap<>();
        for (SinkGroup g : built.groups) {
            for (Sink s : g.sinks) {
                Channel c = s.getChannel();
                drained.put(c.name(), c);
            }
        }
        if (drained.isEmpty() || timeout.isZero() || sinkRunners.isEmpty()) {
            return;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextWake = 0;
        while (true) {
            if (System.nanoTime() - nextWake >= 0) {
                // A sink backing off (up to 5 s by default) would otherwise sleep through the drain.
                for (PollingRunner r : sinkRunners) {
                    r.wake();
                }
                nextWake = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            }
            long left = 0;
            for (String c : drained.keySet()) {
                left += channelSize(c);
            }
            if (left == 0) {
                LOG.info("[{}] sinks drained the channels", name());
                return;
            }
            if (System.nanoTime() - deadline >= 0) {
                LOG.warn("[{}] drain timeout of {} ms passed with {} event(s) still in channels {}", name(),
                        timeout.toMillis(), left, drained.keySet());
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
        }
    }

    private long channelSize(String channel) {
        CounterGroup g = counters.find("CHANNEL", channel);
        return g == null ? 0 : g.get(ChannelCounter.SIZE);
    }

    private static void stopQuietly(Lifecycle c, String label) {
        try {
            c.stop();
        } catch (RuntimeException e) {
            LOG.warn("[{}] failed to stop cleanly", label, e);
        }
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "Agent[" + name() + "]";
    }
}
