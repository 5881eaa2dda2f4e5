package io.sluice.flume.bridge.adapter;

import io.sluice.api.EventDeliveryException;
import io.sluice.flume.bridge.FlumeCounters;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls into one plugin instance with the plugin class loader as the thread's context class
 * loader (Flume code looks classes up there), and turns its failures into logged, counted
 * outcomes that never reach the agent: a failed start leaves the component stopped, a failed
 * {@code process} becomes an {@link EventDeliveryException} that the runner logs (rate-limited,
 * with the component's name) and backs off from. Errors
 * that mean the JVM is unwell ({@link VirtualMachineError}) are rethrown. Thread-safe.
 */
final class PluginCalls {
    private static final Logger LOG = LoggerFactory.getLogger(PluginCalls.class);

    private final String label;
    private final String what;
    private final ClassLoader loader;
    private final FlumeCounters counters;

    /** {@code label}: the component's key prefix ({@code a1.sinks.k1}); {@code what}: "Flume sink com.acme.X". */
    PluginCalls(String label, String what, ClassLoader loader, FlumeCounters counters) {
        this.label = label;
        this.what = what;
        this.loader = loader;
        this.counters = counters;
    }

    String label() {
        return label;
    }

    /** Runs a lifecycle call; returns false (logged and counted) when the plugin threw. */
    boolean start(Runnable call) {
        try {
            run(call);
            return true;
        } catch (RuntimeException | LinkageError | AssertionError e) {
            if (counters != null) {
                counters.counter(FlumeCounters.START_FAIL).increment();
            }
            LOG.error("[{}] {} failed to start; it stays stopped and the rest of the agent keeps running: {}", label,
                    what, e.toString(), e);
            return false;
        }
    }

    /**
     * Runs the configuration a selector or sink processor gets once its channels or sinks are set
     * (still while the agent is being built); a failure is a problem reported to {@code context}.
     */
    void configureLate(io.sluice.api.config.ComponentContext context, Runnable call) {
        try {
            run(call);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            context.problem(what + " rejected its configuration: " + e, "fix the keys under " + context.keyPrefix());
        }
    }

    /** Runs {@code stop()}; a failure is logged only: the agent goes on stopping the others. */
    void stop(Runnable call) {
        try {
            run(call);
        } catch (RuntimeException | LinkageError | AssertionError e) {
            LOG.warn("[{}] {} failed to stop cleanly: {}", label, what, e.toString(), e);
        }
    }

    void run(Runnable call) {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            call.run();
        } finally {
            t.setContextClassLoader(previous);
        }
    }

    /** Runs {@code process()}: any failure is counted and becomes an {@link EventDeliveryException}. */
    <T> T process(Callable<T> call) throws EventDeliveryException {
        Thread t = Thread.currentThread();
        ClassLoader previous = t.getContextClassLoader();
        t.setContextClassLoader(loader);
        try {
            return call.call();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Exception | LinkageError | AssertionError e) {
            if (counters != null) {
                counters.counter(FlumeCounters.PROCESS_FAIL).increment();
            }
            throw new EventDeliveryException("[" + label + "] " + what + " failed: " + e, e);
        } finally {
            t.setContextClassLoader(previous);
        }
    }
}
