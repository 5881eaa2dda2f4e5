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
import io.sluice.core.channel.ResizableChannel;
import io.sluice.core.channel.memory.MemoryChannel;
import io.sluice.core.runner.Backoff;
import io.sluice.core.runner.PollingRunner;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The components of an agent that run now, with the keys each was built from and the counter
 * groups it registered. Every start and stop goes through here, so after a failure half-way
 * through a reload this still says exactly what runs. A started component's counter groups are
 * registered in the agent's registry (a kept component's stay as they are, so they keep counting);
 * a stopped one's are removed. Not thread-safe: the {@link Agent} calls it under its own lock.
 */
final class RunningSet {
    private static final Logger LOG = LoggerFactory.getLogger(RunningSet.class);

    private final String agent;
    private final Backoff backoff;
    private final CounterRegistry counters;
    final Map<String, Channel> channels = new LinkedHashMap<>();
    final Map<String, Source> sources = new LinkedHashMap<>();
    final Map<String, DefaultChannelProcessor> channelProcessors = new HashMap<>();
    private final Map<String, PollingRunner> sourceRunners = new HashMap<>();
    /** Sink runner units by label. */
    final Map<String, SinkGroup> units = new LinkedHashMap<>();
    private final Map<String, PollingRunner> unitRunners = new HashMap<>();
    /** The keys each running component was built from, by label. */
    final Map<String, Map<String, String>> keys = new HashMap<>();
    private final Map<String, List<CounterGroup>> counterGroups = new HashMap<>();
    /** The put-commit listeners each unit's runner added to its sinks' channels, so that stop removes them. */
    private final Map<String, List<Map.Entry<Channel, Runnable>>> putListeners = new HashMap<>();

    RunningSet(String agent, Backoff backoff, CounterRegistry counters) {
        this.agent = agent;
        this.backoff = backoff;
        this.counters = counters;
    }

    String channelLabel(String name) {
        return agent + ".channels." + name;
    }

    String sourceLabel(String name) {
        return agent + ".sources." + name;
    }

    /** Every sink of every unit, by name. */
    Map<String, Sink> sinks() {
        Map<String, Sink> out = new LinkedHashMap<>();
        for (SinkGroup g : units.values()) {
            for (Sink s : g.sinks) {
                out.put(s.name(), s);
            }
        }
        return out;
    }

    void startChannel(String name, Channel ch, BuiltAgent from) {
        String label = channelLabel(name);
        try {
            ch.start();
        } catch (RuntimeException | Error e) {
            stopQuietly(ch, label);
            throw new StartFailure(label, e);
        }
        channels.put(name, ch);
        adopt(label, from);
    }

    /** Stops a channel; {@code forgetCounters} takes its counters out of the registry (a reload). */
    void stopChannel(String name, boolean forgetCounters) {
        String label = channelLabel(name);
        Channel ch = channels.remove(name);
        if (ch != null) {
            stopQuietly(ch, label);
        }
        forget(label, forgetCounters);
    }

    /**
     * Replaces a running channel by {@code fresh}, built from changed keys. A memory channel's
     * events move into the new channel first (the new one starts, the events move, the old one
     * stops); any other channel keeps its events in its own storage, so the old one stops before
     * the new one opens it. If the new channel fails to start, the old one still runs.
     */
    void restartChannel(String name, Channel fresh, BuiltAgent from) {
        Channel old = channels.get(name);
        if (!(old instanceof MemoryChannel)) {
            stopChannel(name, true);
            startChannel(name, fresh, from);
            return;
        }
        String label = channelLabel(name);
        try {
            fresh.start();
        } catch (RuntimeException | Error e) {
            stopQuietly(fresh, label);
            throw new StartFailure(label, e);
        }
        long moved = ChannelMover.move((MemoryChannel) old, fresh, label);
        LOG.info("[{}] moved {} event(s) from the old channel into the rebuilt one", label, moved);
        stopChannel(name, true);
        channels.put(name, fresh);
        adopt(label, from);
    }

    /** A new size for a running channel; keeps the old keys (so a later check retries) when refused. */
    boolean resizeChannel(String name, BuiltAgent from) {
        String label = channelLabel(name);
        ResizableChannel ch = (ResizableChannel) channels.get(name);
        Optional<String> refused = ch.resizeLike(from.builtChannels.get(name));
        if (refused.isPresent()) {
            LOG.warn("[{}] keeps its current size: the new one is not applied because {}. It is tried again at the"
                    + " next configuration check (or SIGHUP); the events stay", label, refused.get());
            return false;
        }
        keys.put(label, ReloadPlan.keysUnder(from.properties, label + "."));
        return true;
    }

    void startUnit(SinkGroup g, BuiltAgent from) {
        String current = g.label;
        try {
            for (Sink s : g.sinks) {
                current = agent + ".sinks." + s.name();
                s.start();
            }
            current = g.label;
            g.processor.start();
        } catch (RuntimeException | Error e) {
            stopQuietly(g.processor, g.label);
            for (Sink s : g.sinks) {
                stopQuietly(s, agent + ".sinks." + s.name());
            }
            throw new StartFailure(current, e);
        }
        PollingRunner r = new PollingRunner(g.label, g.processor::process, backoff);
        listenForPuts(g, r);
        r.start();
        units.put(g.label, g);
        unitRunners.put(g.label, r);
        adopt(g.label, from);
        for (Sink s : g.sinks) {
            if (!g.label.equals(agent + ".sinks." + s.name())) {
                adopt(agent + ".sinks." + s.name(), from);
            }
        }
    }

    /**
     * A unit's runner ends its back-off wait as soon as any channel of its sinks commits a put, so
     * an idle sink delivers the next event at once rather than after the back-off.
     */
    private void listenForPuts(SinkGroup g, PollingRunner r) {
        Runnable wake = r::dataArrived;
        List<Map.Entry<Channel, Runnable>> added = new ArrayList<>();
        for (Sink s : g.sinks) {
            Channel c = s.getChannel();
            if (c != null && c.addPutCommitListener(wake)) {
                added.add(Map.entry(c, wake));
            }
        }
        putListeners.put(g.label, added);
    }

    void stopUnit(String label, boolean forgetCounters) {
        for (Map.Entry<Channel, Runnable> l : putListeners.getOrDefault(label, List.of())) {
            l.getKey().removePutCommitListener(l.getValue());
        }
        putListeners.remove(label);
        PollingRunner r = unitRunners.remove(label);
        if (r != null) {
            r.stop();
        }
        SinkGroup g = units.remove(label);
        if (g == null) {
            return;
        }
        stopQuietly(g.processor, g.label);
        for (Sink s : g.sinks) {
            String sinkLabel = agent + ".sinks." + s.name();
            stopQuietly(s, sinkLabel);
            if (!sinkLabel.equals(label)) {
                forget(sinkLabel, forgetCounters);
            }
        }
        forget(label, forgetCounters);
    }

    void startSource(String name, BuiltAgent from) {
        String label = sourceLabel(name);
        Source src = from.sources.get(name);
        DefaultChannelProcessor cp = from.channelProcessors.get(name);
        try {
            if (cp != null) {
                cp.initialize();
            }
            src.start();
        } catch (RuntimeException | Error e) {
            stopQuietly(src, label);
            if (cp != null) {
                cp.close();
            }
            throw new StartFailure(label, e);
        }
        sources.put(name, src);
        if (cp != null) {
            channelProcessors.put(name, cp);
        }
        if (src instanceof PollableSource) {
            PollableSource ps = (PollableSource) src;
            Backoff b = backoff == Backoff.FLUME_DEFAULT
                    ? new Backoff(Duration.ofMillis(ps.backOffSleepIncrementMillis()),
                            Duration.ofMillis(ps.maxBackOffSleepMillis()))
                    : backoff;
            PollingRunner r = new PollingRunner(label, ps::process, b);
            sourceRunners.put(name, r);
            r.start();
        }
        adopt(label, from);
    }

    void stopSource(String name, boolean forgetCounters) {
        String label = sourceLabel(name);
        PollingRunner r = sourceRunners.remove(name);
        if (r != null) {
            r.stop();
        }
        Source src = sources.remove(name);
        if (src != null) {
            stopQuietly(src, label);
        }
        DefaultChannelProcessor cp = channelProcessors.remove(name);
        if (cp != null) {
            cp.close();
        }
        forget(label, forgetCounters);
    }

    /** Records the keys and registers the counter groups {@code from} built for {@code label}. */
    private void adopt(String label, BuiltAgent from) {
        keys.put(label, label.startsWith(agent + ".sinkgroups.") || isLoneSinkUnit(label)
                ? unitKeys(label, from) : ReloadPlan.keysUnder(from.properties, label + "."));
        List<CounterGroup> groups = from.counterGroups.getOrDefault(label, List.of());
        for (CounterGroup g : groups) {
            if (counters.find(g.type(), g.name()) != g) {
                counters.register(g);
            }
        }
        counterGroups.put(label, groups);
    }

    private boolean isLoneSinkUnit(String label) {
        return units.containsKey(label) && label.startsWith(agent + ".sinks.");
    }

    private Map<String, String> unitKeys(String label, BuiltAgent from) {
        return ReloadPlan.unitKeys(agent, from.properties, units.get(label));
    }

    private void forget(String label, boolean forgetCounters) {
        keys.remove(label);
        List<CounterGroup> groups = counterGroups.remove(label);
        if (groups != null && forgetCounters) {
            for (CounterGroup g : groups) {
                counters.unregister(g);
            }
        }
    }

    /**
     * Waits until {@code drained} are empty (their sinks keep taking), or the timeout passes; wakes
     * sink runners that back off so they do not sleep through it. Returns the events left.
     */
    long drain(Collection<String> drained, Duration timeout) {
        if (drained.isEmpty() || timeout.isZero() || unitRunners.isEmpty()) {
            return sizeOf(drained);
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextWake = 0;
        while (true) {
            if (System.nanoTime() - nextWake >= 0) {
                for (PollingRunner r : unitRunners.values()) {
                    r.wake();
                }
                nextWake = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
            }
            long left = sizeOf(drained);
            if (left == 0 || System.nanoTime() - deadline >= 0) {
                return left;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            if (Thread.currentThread().isInterrupted()) {
                return sizeOf(drained);
            }
        }
    }

    private long sizeOf(Collection<String> channelNames) {
        long left = 0;
        for (String c : channelNames) {
            CounterGroup g = counters.find("CHANNEL", c);
            left += g == null ? 0 : g.get(ChannelCounter.SIZE);
        }
        return left;
    }

    static void stopQuietly(Lifecycle c, String label) {
        try {
            c.stop();
        } catch (RuntimeException e) {
            LOG.warn("[{}] failed to stop cleanly", label, e);
        }
    }

    /** A component did not start; {@link #label} names it, the cause says why. */
    static final class StartFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String label;

        StartFailure(String label, Throwable cause) {
            super("[" + label + "] failed to start: " + cause.getMessage(), cause);
            this.label = label;
        }
    }
}
