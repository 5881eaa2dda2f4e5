package io.sluice.core.agent;

import static java.util.Objects.requireNonNull;

import io.sluice.core.config.OrderedProperties;
import io.sluice.core.registry.ComponentRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs an agent and, when asked to, reloads it when its configuration file changes (checked every
 * poll interval; Apache Flume checks every 30 s). A changed file is validated first: if it is
 * valid, the old agent is stopped (gracefully) and the new one started; if not, the running agent
 * is kept and every problem is logged. If the new agent fails to start, the last good
 * configuration is started again. Thread-safe.
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
    private ScheduledExecutorService poller;
    private volatile Agent agent;
    private volatile ValidationReport lastReport;
    private byte[] lastContent;
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
        lastContent = readFile();
        Agent a = Agent.create(spec, registry);
        lastReport = a.report();
        lastGood = snapshot();
        a.start();
        agent = a;
        if (reloadOnChange && spec.configFile().isPresent()) {
            poller = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "config-poller-" + spec.agentName());
                t.setDaemon(true);
                return t;
            });
            long ms = pollInterval.toMillis();
            poller.scheduleWithFixedDelay(this::checkForChange, ms, ms, TimeUnit.MILLISECONDS);
            LOG.info("[{}] watching {} for changes every {} ms", spec.agentName(), spec.configFile().get(), ms);
        }
    }

    /** The agent running now (changes on reload). */
    public Agent current() {
        return agent;
    }

    /** The report of the last configuration looked at (valid or not). */
    public ValidationReport lastReport() {
        return lastReport;
    }

    /** How many times a changed file was loaded and started. */
    public long reloads() {
        return reloads.get();
    }

    /** How many changed files were refused because they had problems. */
    public long rejectedReloads() {
        return rejected.get();
    }

    /** Looks at the file now (the poller calls this); public so callers can force a check. */
    public void checkForChange() {
        byte[] content;
        synchronized (this) {
            if (closed || agent == null) {
                return;
            }
            content = readFile();
            if (content == null || Arrays.equals(content, lastContent)) {
                return;
            }
            lastContent = content;
        }
        LOG.info("[{}] configuration file {} changed; validating it", spec.agentName(), spec.origin());
        Agent next;
        try {
            next = Agent.create(spec, registry);
        } catch (InvalidConfigurationException e) {
            lastReport = e.report();
            rejected.incrementAndGet();
            LOG.error("[{}] the changed configuration is not applied; the running agent keeps running. {}",
                    spec.agentName(), e.report().render());
            return;
        }
        synchronized (this) {
            if (closed) {
                return;
            }
            lastReport = next.report();
            Agent old = agent;
            old.stop();
            try {
                next.start();
                agent = next;
                lastGood = snapshot();
                reloads.incrementAndGet();
                LOG.info("[{}] reloaded the changed configuration", spec.agentName());
            } catch (RuntimeException e) {
                LOG.error("[{}] the changed configuration did not start ({}); starting the last good one again",
                        spec.agentName(), e.getMessage());
                try {
                    Agent back = Agent.create(spec.withEmbeddedProperties(lastGood), registry);
                    back.start();
                    agent = back;
                } catch (InvalidConfigurationException | RuntimeException again) {
                    LOG.error("[{}] the last good configuration did not start again either; the agent is down "
                            + "until the file is fixed", spec.agentName(), again);
                }
            }
        }
    }

    private Map<String, String> snapshot() {
        if (spec.configFile().isEmpty()) {
            return spec.properties().orElse(Map.of());
        }
        try {
            return OrderedProperties.load(spec.configFile().get());
        } catch (IOException e) {
            return Map.of();
        }
    }

    private byte[] readFile() {
        if (spec.configFile().isEmpty()) {
            return new byte[0];
        }
        Path f = spec.configFile().get();
        try {
            return Files.readAllBytes(f);
        } catch (IOException e) {
            LOG.warn("[{}] cannot read {} ({}); the running agent keeps running", spec.agentName(), f, e.toString());
            return null;
        }
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
    }
}
