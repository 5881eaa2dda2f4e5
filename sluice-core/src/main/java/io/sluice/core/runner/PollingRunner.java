package io.sluice.core.runner;

import io.sluice.api.Status;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import static java.util.Objects.requireNonNull;

/**
 * One thread calling a {@link Step} in a loop with backoff. {@link #stop()} asks the loop to end,
 * waits a grace period for the current step to return, then interrupts the thread. Thread-safe.
 */
public final class PollingRunner {
    private static final Logger LOG = LoggerFactory.getLogger(PollingRunner.class);
    private static final long GRACE_MILLIS = 2000;

    /** One call of the loop: a source's or a sink processor's {@code process()}. */
    @FunctionalInterface
    public interface Step {
        Status process() throws Exception;
    }

    private final String label;
    private final Step step;
    private final Backoff backoff;
    private final long graceMillis;
    private final CountDownLatch stopSignal = new CountDownLatch(1);
    private final Object waitLock = new Object();
    /** Set by {@link #wake()} to cut the current wait short; guarded by {@code waitLock}. */
    private boolean wakeRequested;
    /**
     * Set by {@link #dataArrived()} (a put commit in a channel this runner takes from); cleared before
     * each step, so a put during the step or the wait after it ends a BACKOFF wait (never the wait
     * after an error). Written without the lock on the hot path; see {@link #dataArrived()}.
     */
    private volatile boolean dataArrived;
    /** True while the loop is in a BACKOFF wait; written under {@code waitLock}. */
    private volatile boolean waitingForData;
    /** Repeats of one failure are logged once per 5 s; a new or different failure at once. */
    private final RunnerErrorLog errorLog = new RunnerErrorLog(TimeUnit.SECONDS.toNanos(5), System::nanoTime);
    private volatile Thread thread;
    private volatile long backoffs;
    private volatile long errors;

    public PollingRunner(String label, Step step, Backoff backoff) {
        this(label, step, backoff, GRACE_MILLIS);
    }

    /**
     * As above, with how long {@link #stop()} waits for the thread before interrupting it, and again
     * after; a test makes it long so that only the stop signal itself can end a back-off wait.
     */
    PollingRunner(String label, Step step, Backoff backoff, long graceMillis) {
        this.graceMillis = graceMillis;
        this.label = requireNonNull(label, "label is null");
        this.step = requireNonNull(step, "step is null");
        this.backoff = requireNonNull(backoff, "backoff is null");
    }

    public synchronized void start() {
        if (thread != null) {
            return;
        }
        Thread t = new Thread(this::loop, "runner-" + label);
        t.setDaemon(false);
        thread = t;
        t.start();
    }

    /** Ends the loop; returns once the thread has ended (or a few seconds after interrupting it). */
    public synchronized void stop() {
        Thread t = thread;
        if (t == null) {
            return;
        }
        stopSignal.countDown();
        wake();
        try {
            t.join(graceMillis);
            if (t.isAlive()) {
                t.interrupt();
                t.join(graceMillis);
            }
            if (t.isAlive()) {
                LOG.warn("[{}] runner thread did not end within {} ms after interrupt", label, 2 * graceMillis);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        thread = null;
    }

    /**
     * Ends the current back-off wait at once, so the next step runs now. The agent calls this when
     * it starts draining, so a sink that was backing off does not sleep through the drain.
     */
    public void wake() {
        synchronized (waitLock) {
            wakeRequested = true;
            waitLock.notifyAll();
        }
    }

    /**
     * Tells the runner there may be something to take now: a BACKOFF wait in progress ends at once,
     * and one about to start does not happen. Cheap when called often: a volatile read when the
     * runner already knows, and a lock only when it is actually waiting. Thread-safe; never blocks
     * for long.
     */
    public void dataArrived() {
        if (dataArrived) {
            return;
        }
        dataArrived = true;
        // The loop sets waitingForData under the lock, then reads dataArrived; this thread wrote
        // dataArrived, then reads waitingForData. Both volatile: at least one of them sees the other.
        if (waitingForData) {
            synchronized (waitLock) {
                waitLock.notifyAll();
            }
        }
    }

    public boolean isRunning() {
        Thread t = thread;
        return t != null && t.isAlive();
    }

    /** BACKOFF results seen so far. */
    public long backoffs() {
        return backoffs;
    }

    /** Failed steps seen so far. */
    public long errors() {
        return errors;
    }

    private void loop() {
        long consecutive = 0;
        while (stopSignal.getCount() > 0) {
            long waitMillis;
            boolean forData = false;
            dataArrived = false;
            try {
                Status s = step.process();
                long failures = errorLog.succeeded();
                if (failures > 0) {
                    LOG.info("[{}] processing again after {} failed attempt(s)", label, failures);
                }
                if (s == Status.BACKOFF) {
                    consecutive++;
                    backoffs++;
                    waitMillis = backoff.afterBackoffs(consecutive);
                    forData = true;
                } else {
                    consecutive = 0;
                    waitMillis = 0;
                }
            } catch (InterruptedException e) {
                if (stopSignal.getCount() == 0) {
                    break;
                }
                waitMillis = backoff.maxMillis();
            } catch (Exception | Error e) {
                errors++;
                if (e instanceof Error && !(e instanceof AssertionError)) {
                    LOG.error("[{}] fatal error, the runner stops", label, e);
                    break;
                }
                if (errorLog.failed(e)) {
                    long held = errorLog.takeSuppressed();
                    LOG.error("[{}] could not process events; retrying in {} ms{}", label, backoff.maxMillis(),
                            held > 0 ? " (" + held + " similar errors not logged)" : "", e);
                }
                waitMillis = backoff.maxMillis();
            }
            if (Thread.interrupted() && stopSignal.getCount() == 0) {
                break;
            }
            if (waitMillis > 0) {
                try {
                    if (waitUnlessWoken(waitMillis, forData)) {
                        break;
                    }
                } catch (InterruptedException e) {
                    if (stopSignal.getCount() == 0) {
                        break;
                    }
                }
            }
        }
    }

    /**
     * Waits up to {@code millis}, or until woken or stopped, or (when {@code forData}) until data
     * arrived; true when stopped.
     */
    private boolean waitUnlessWoken(long millis, boolean forData) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        synchronized (waitLock) {
            waitingForData = forData;
            try {
                while (!wakeRequested && !(forData && dataArrived) && stopSignal.getCount() > 0) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        break;
                    }
                    TimeUnit.NANOSECONDS.timedWait(waitLock, left);
                }
            } finally {
                waitingForData = false;
            }
            wakeRequested = false;
        }
        return stopSignal.getCount() == 0;
    }
}
