package io.sluice.cli;

import io.sluice.api.metrics.CounterRegistry;
import io.sluice.cli.observe.RunDirectory;
import io.sluice.core.agent.AgentSpec;
import io.sluice.core.agent.AgentSupervisor;
import io.sluice.core.agent.InvalidConfigurationException;
import io.sluice.core.console.ConsoleRoutes;
import io.sluice.core.console.ProblemLog;
import io.sluice.core.metrics.MetricsServer;
import io.sluice.sql.agent.http.ServerAddress;
import io.sluice.sql.agent.tee.TeeClient;
import io.sluice.sql.agent.tee.TeeCounters;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An agent started by a command, with its optional metrics server and a shutdown hook, so SIGTERM
 * and Ctrl-C stop it gracefully: sources first, then the sinks drain the channels for a bounded
 * time (the core's stop sequence), then the metrics server. A stop that completed ends the process
 * with exit status 0, one that failed with 1: the JVM would otherwise exit with 128 plus the
 * signal's number (143, 130), which a supervisor such as systemd reports as a failure of a service
 * it stopped itself. SIGHUP does not stop it: it triggers a configuration check at once
 * ({@link ReloadSignal}). Thread-safe: {@link #close()} may be called from the shutdown hook
 * while the main thread waits in {@link #awaitStop}.
 */
final class RunningAgent implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RunningAgent.class);

    private final String agentName;
    private final AgentSupervisor supervisor;
    private final MetricsServer metrics;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CountDownLatch stopped = new CountDownLatch(1);
    private final Thread shutdownHook;
    private final ProblemAppender problems;
    private final TeeClient tee;

    private RunningAgent(String agentName, AgentSupervisor supervisor, MetricsServer metrics, Thread shutdownHook,
            ProblemAppender problems, TeeClient tee) {
        this.tee = tee;
        this.agentName = agentName;
        this.supervisor = supervisor;
        this.metrics = metrics;
        this.shutdownHook = shutdownHook;
        this.problems = problems;
    }

    /**
     * Validates and starts the agent, then the metrics server if enabled; installs the shutdown hook.
     *
     * @throws InvalidConfigurationException when the configuration has problems (nothing started)
     * @throws IOException when a component or the metrics server fails to start (what had started
     *                     is stopped again); the message says what failed
     */
    static RunningAgent start(AgentSpec spec, boolean reloadOnChange, Duration pollInterval,
            MetricsSettings metricsSettings) throws InvalidConfigurationException, IOException {
        return start(spec, reloadOnChange, pollInterval, metricsSettings, null);
    }

    /**
     * As {@link #start(AgentSpec, boolean, Duration, MetricsSettings)}, and registers with the rtsql
     * server {@code rtsql} (when not null) to tee the components its flows read.
     */
    static RunningAgent start(AgentSpec spec, boolean reloadOnChange, Duration pollInterval,
            MetricsSettings metricsSettings, ServerAddress rtsql) throws InvalidConfigurationException, IOException {
        return start(spec, reloadOnChange, pollInterval, metricsSettings, rtsql, TeeClient.Options.DEFAULTS);
    }

    /**
     * As {@link #start(AgentSpec, boolean, Duration, MetricsSettings, ServerAddress)}, the tees run
     * with {@code teeOptions} (their CPU budget).
     */
    static RunningAgent start(AgentSpec spec, boolean reloadOnChange, Duration pollInterval,
            MetricsSettings metricsSettings, ServerAddress rtsql, TeeClient.Options teeOptions)
            throws InvalidConfigurationException, IOException {
        AgentSupervisor supervisor = new AgentSupervisor(spec, reloadOnChange, pollInterval);
        // The hook goes in before anything starts: a signal that arrives while the agent starts then
        // stops what has started (the supervisor's start and close take turns) instead of killing
        // the JVM with 128 + N. A start that fails takes the hook out again, so its exit status stays.
        AtomicReference<RunningAgent> started = new AtomicReference<>();
        Thread hook = new Thread(() -> {
            RunningAgent running = started.get();
            if (running != null) {
                running.stopOnSignal();
            } else {
                LOG.info("[{}] stopping while starting", spec.agentName());
                closeQuietly(supervisor);
                LOG.info("[{}] stopped", spec.agentName());
                System.out.flush();
                System.err.flush();
                Runtime.getRuntime().halt(0);
            }
        }, "sluice-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        MetricsServer server = null;
        TeeClient tee = null;
        ProblemLog problemLog = new ProblemLog(Clock.systemUTC());
        ProblemAppender problems = ProblemAppender.attach(problemLog);
        try {
            try {
                supervisor.start();
            } catch (InvalidConfigurationException e) {
                throw e;
            } catch (Exception e) {
                // Also checked exceptions that network libraries throw without declaring them (a port in use).
                closeQuietly(supervisor);
                throw new IOException("[" + spec.agentName() + "] did not start: " + e, e);
            }
            ReloadSignal.install(spec.agentName(), supervisor);
            if (rtsql != null) {
                tee = TeeClient.start(rtsql, spec.agentName(), spec.taps(),
                        () -> TeeClient.components(supervisor.current().report().topology()), teeOptions);
            }
            TeeClient teeNow = tee;
            if (metricsSettings.enabled()) {
                try {
                    server = MetricsServer.start(metricsSettings.bindHost(), metricsSettings.port(), spec.agentName(),
                            () -> counters(supervisor, teeNow), new ConsoleRoutes.Source(spec.agentName(),
                                    spec.taps(), () -> supervisor.current().report().topology(), problemLog),
                            RunDirectory.of(spec.dataDirectory()));
                } catch (Exception e) {
                    if (tee != null) {
                        tee.close();
                    }
                    supervisor.close();
                    throw new IOException("[" + spec.agentName() + "] cannot serve metrics on " + metricsSettings.bindHost()
                            + ":" + metricsSettings.port() + " (" + e.getMessage()
                            + "); choose a free port with --metrics-port or -Dflume.monitoring.port", e);
                }
            }
        } catch (InvalidConfigurationException | IOException | RuntimeException | Error e) {
            removeHook(hook);
            if (problems != null) {
                problems.detach();
            }
            throw e;
        }
        RunningAgent running = new RunningAgent(spec.agentName(), supervisor, server, hook, problems, tee);
        started.set(running);
        return running;
    }

    private static void removeHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
            // the JVM is already shutting down; the hook stops what started
        }
    }

    private static void closeQuietly(AgentSupervisor supervisor) {
        try {
            supervisor.close();
        } catch (RuntimeException e) {
            LOG.warn("error while stopping what had started", e);
        }
    }

    /** The port the metrics server bound, or -1 when it is off. */
    int metricsPort() {
        return metrics == null ? -1 : metrics.port();
    }

    /** The counters of the agent running now (it changes on reload), with the tee's. */
    CounterRegistry counters() {
        return counters(supervisor, tee);
    }

    private static CounterRegistry counters(AgentSupervisor supervisor, TeeClient tee) {
        CounterRegistry r = supervisor.current().counters();
        if (tee != null && r.find(TeeCounters.TYPE, TeeCounters.NAME) != tee.counters().group()) {
            r.register(tee.counters().group());
        }
        return r;
    }

    /** Waits until {@link #close()} has finished, at most {@code max}; returns whether it has. */
    boolean awaitStop(Duration max) throws InterruptedException {
        return stopped.await(max.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The shutdown hook: stops gracefully, then ends the JVM with 0 (stopped) or 1 (the stop
     * failed) instead of the signal's 128+N. Halting skips the hooks still to run; everything this
     * process started has been stopped by then, and the standard streams are flushed first.
     */
    private void stopOnSignal() {
        boolean ok = stop();
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(ok ? 0 : 1);
    }

    /** Stops the agent gracefully, then the metrics server. Idempotent. */
    @Override
    public void close() {
        stop();
    }

    /** Stops everything once; returns false when stopping failed. */
    private boolean stop() {
        if (!closing.compareAndSet(false, true)) {
            return true;
        }
        boolean ok = true;
        try {
            LOG.info("[{}] stopping", agentName);
            if (tee != null) {
                tee.close();
            }
            supervisor.close();
            if (metrics != null) {
                metrics.close();
            }
            if (problems != null) {
                problems.detach();
            }
            LOG.info("[{}] stopped", agentName);
        } catch (Exception e) {
            ok = false;
            LOG.error("[{}] error while stopping", agentName, e);
        } finally {
            stopped.countDown();
            if (Thread.currentThread() != shutdownHook) {
                removeHook(shutdownHook);
            }
        }
        return ok;
    }
}
