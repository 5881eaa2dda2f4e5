package io.sluice.core.agent;

import io.sluice.core.config.source.ConfigSource;
import io.sluice.core.config.source.ConfigSources;
import io.sluice.core.registry.ComponentRegistry;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * Runs an agent and, when asked to, reloads it when its configuration changes: every poll interval
 * (Apache Flume checks files every 30 s, URLs every 300 s) it reads every configuration source and
 * compares the bytes; a source that can tell about changes (ZooKeeper) also triggers a check at
 * once, and so does {@link #requestCheck()} (the CLI calls it on SIGHUP, also when polling is off).
 * A changed configuration is validated first: if it has problems, the running agent keeps running
 * untouched and every problem is logged; a source that cannot be read keeps it running too. A valid
 * one is applied to the running agent by {@link Agent#reload}: only components whose keys or wiring
 * changed are restarted, kept ones (and the events in kept channels) are not touched. If a new
 * component fails to start, the last good configuration is applied again. A check also runs when a
 * channel could not take its new size at the last one. Closing the supervisor closes the spec's
 * sources. Thread-safe.
 */
public final class AgentSupervisor implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentSupervisor.class);
    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(30);

    private final AgentSpec spec;
    private final ComponentRegistry registry;
    private final boolean reloadOnChange;
    private final Duration pollInterval;
    private final AtomicLong reloads = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final AtomicLong unreadable = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private ScheduledThreadPoolExecutor poller;
    private volatile Agent agent;
    private volatile ValidationReport lastReport;
    private volatile String lastSummary = "";
    private List<byte[]> lastContent;
    private Map<String, String> lastGood;
    private boolean closed;

    public AgentSupervisor(AgentSpec spec, boolean reloadOnChange, Duration pollInterval) {
        this(spec, reloadOnChange, pollInterval, ComponentRegistry.standard());
    }

    /** With a registry of its own, e.g. one that sees plugins from a plugin directory's class loader. */
    public AgentSupervisor(AgentSpec spec, boolean reloadOnChange, Duration pollInterval, ComponentRegistry registry) {
        this.spec = requireNonNull(spec, "spec is null");
        this.registry = requireNonNull(registry, "registry is null");
        this.reloadOnChange = reloadOnChange;
        this.pollInterval = requireNonNull(pollInterval, "pollInterval is null");
        if (pollInterval.isNegative() || pollInterval.isZero()) {
            throw new IllegalArgumentException("pollInterval: " + pollInterval + " (expected: > 0)");
        }
    }

    /** Validates and starts the agent; throws listing every problem if the configuration has any. */
    public synchronized void start() throws InvalidConfigurationException {
        if (agent != null) {
            return;
        }
        if (closed) {
            throw new IllegalStateException("supervisor of agent " + spec.agentName() + " was closed");
        }
        lastContent = readSources();
        Agent a = Agent.create(spec, registry);
        lastReport = a.report();
        lastGood = snapshot();
        a.start();
        agent = a;
        if (spec.sources().isEmpty()) {
            return;
        }
        poller = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "config-poller-" + spec.agentName());
            t.setDaemon(true);
            return t;
        });
        if (reloadOnChange) {
            long ms = pollInterval.toMillis();
            poller.scheduleWithFixedDelay(this::checkForChange, ms, ms, TimeUnit.MILLISECONDS);
            LOG.info("[{}] watching {} for changes every {} ms", spec.agentName(), spec.origin(), ms);
            for (ConfigSource source : spec.sources()) {
                source.watch(this::requestCheck);
            }
        }
    }

    /**
     * The periodic checks waiting on the poller: 1 while the file is watched ({@code reloadOnChange}),
     * 0 otherwise (a check requested with {@link #requestCheck()} counts while it waits). For tests.
     */
    int scheduledChecks() {
        ScheduledThreadPoolExecutor p = poller;
        return p == null ? 0 : p.getQueue().size();
    }

    /** The agent running now: the same one across reloads. */
    public Agent current() {
        return agent;
    }

    /** The report of the last configuration looked at (valid or not). */
    public ValidationReport lastReport() {
        return lastReport;
    }

    /**
     * What the last applied reload did, e.g. {@code kept: channels.c1, sources.r1; added: sinks.k2}
     * (component names relative to the agent); empty before the first.
     */
    public String lastSummary() {
        return lastSummary;
    }

    /** How many times a changed configuration was applied. */
    public long reloads() {
        return reloads.get();
    }

    /** How many changed files were refused because they had problems. */
    public long rejectedReloads() {
        return rejected.get();
    }

    /** How many valid changed configurations did not start (the previous one was applied again). */
    public long failedReloads() {
        return failed.get();
    }

    /** How many checks found a configuration source that could not be read (the agent kept running). */
    public long unreadableChecks() {
        return unreadable.get();
    }

    /**
     * Checks the configuration at once, on the poller thread (a source said it changed, or SIGHUP);
     * returns without waiting. Does nothing for an embedded agent, which has no source to read.
     */
    public synchronized void requestCheck() {
        if (!closed && poller != null) {
            try {
                poller.execute(this::checkForChange);
            } catch (RejectedExecutionException closing) {
                // closed meanwhile
            }
        }
    }

    /** Looks at the sources now (the poller calls this); public so callers can force a check. */
    public void checkForChange() {
        synchronized (this) {
            if (closed || agent == null) {
                return;
            }
            List<byte[]> content = readSources();
            if (content == null) {
                return;
            }
            boolean changed = !sameContent(content, lastContent);
            if (!changed && !agent.hasPendingChanges()) {
                LOG.debug("[{}] configuration {} unchanged", spec.agentName(), spec.origin());
                return;
            }
            lastContent = content;
            LOG.info("[{}] configuration {} {}; validating it", spec.agentName(), spec.origin(),
                    changed ? "changed" : "unchanged, but a channel still waits for its new size");
            try {
                lastSummary = agent.reload(spec, spec.withEmbeddedProperties(lastGood), registry);
                lastReport = agent.report();
                lastGood = snapshot();
                reloads.incrementAndGet();
            } catch (InvalidConfigurationException e) {
                lastReport = e.report();
                rejected.incrementAndGet();
                LOG.error("[{}] the changed configuration is not applied; the running agent keeps running. {}",
                        spec.agentName(), e.report().render());
            } catch (ReloadFailedException e) {
                failed.incrementAndGet();
                LOG.error("[{}] {}", spec.agentName(), e.getMessage());
            }
        }
    }

    private Map<String, String> snapshot() {
        if (spec.sources().isEmpty()) {
            return spec.properties().orElse(Map.of());
        }
        try {
            return ConfigSources.merge(spec.sources());
        } catch (ConfigSources.SourceReadException e) {
            return Map.of();
        }
    }

    /** The raw content of every source, or null (logged) when one cannot be read. */
    private List<byte[]> readSources() {
        List<byte[]> all = new ArrayList<>();
        for (ConfigSource source : spec.sources()) {
            try {
                all.add(source.read().raw());
            } catch (IOException e) {
                unreadable.incrementAndGet();
                LOG.warn("[{}] cannot read the configuration from {} ({}); the running agent keeps running",
                        spec.agentName(), source.describe(), e.getMessage());
                return null;
            }
        }
        return all;
    }

    private static boolean sameContent(List<byte[]> a, List<byte[]> b) {
        if (b == null || a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (!Arrays.equals(a.get(i), b.get(i))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void close() {
        ScheduledExecutorService p;
        Agent a;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            p = poller;
            a = agent;
        }
        if (p != null) {
            p.shutdownNow();
        }
        if (a != null) {
            a.stop();
        }
        for (ConfigSource source : spec.sources()) {
            try {
                source.close();
            } catch (RuntimeException e) {
                LOG.warn("[{}] error while closing configuration source {}", spec.agentName(), source.describe(), e);
            }
        }
    }
}
