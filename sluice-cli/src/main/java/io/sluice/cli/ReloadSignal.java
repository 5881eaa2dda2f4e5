package io.sluice.cli;

import io.sluice.core.agent.AgentSupervisor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGHUP asks the agent's supervisor to check its configuration at once, as Vector and most
 * daemons do (Apache Flume has no signal for it). It uses {@code sun.misc.Signal} from the
 * {@code jdk.unsupported} module, which every JDK since 9 exports without flags. The handler only
 * queues a check on the supervisor's poller thread, so it returns at once. It replaces the JVM's
 * own SIGHUP handler, which would run the shutdown hooks: SIGTERM and Ctrl-C still stop the agent.
 * Where the process cannot get SIGHUP (the JVM runs with {@code -Xrs}, or was started with
 * {@code nohup}, which ignores it) a warning says so and the file poll still works.
 */
final class ReloadSignal {
    private static final Logger LOG = LoggerFactory.getLogger(ReloadSignal.class);

    private ReloadSignal() {
    }

    /** Installs the handler; returns whether SIGHUP will reach it. */
    static boolean install(String agentName, AgentSupervisor supervisor) {
        SignalHandler handler = sig -> {
            LOG.info("[{}] SIGHUP: checking the configuration now", agentName);
            supervisor.requestCheck();
        };
        try {
            SignalHandler previous = Signal.handle(new Signal("HUP"), handler);
            if (previous == SignalHandler.SIG_IGN) {
                Signal.handle(new Signal("HUP"), SignalHandler.SIG_IGN);
                LOG.warn("[{}] SIGHUP is ignored by this process (started with nohup?), so it cannot trigger a"
                        + " reload; the configuration is still checked every poll interval", agentName);
                return false;
            }
            LOG.debug("[{}] SIGHUP checks the configuration at once", agentName);
            return true;
        } catch (IllegalArgumentException | UnsupportedOperationException e) {
            LOG.warn("[{}] SIGHUP cannot trigger a reload here ({}); the configuration is still checked every poll"
                    + " interval", agentName, e.getMessage());
            return false;
        }
    }
}
